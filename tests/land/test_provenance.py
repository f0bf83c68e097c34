"""Provenance and duplicates through the pipeline's steps and dbt.

A warehouse is built with the steps the DAG runs (plan, extract, load, dbt build) from
inbox files and fetched URLs: the fetch's URL, time, status and header charset reach
``raw.landed_files`` and ``dim_reports``; the header charset reaches ``decode()`` in the
extraction step; the same report landed a second time in another encoding is a
``duplicate_of`` the first, kept in ``dim_reports`` and counted nowhere.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import seed
from tests.land.test_fetch import FAST
from tests.support.report_site import GBK_TABLE_REPORT, Site, serve
from xxgk.extract.worker import ExtractionGuard
from xxgk.land.fetch import land_urls
from xxgk.land.inbox import land_inbox
from xxgk.orchestration import pipeline
from xxgk.transform.dbt import run_dbt_build

pytestmark = pytest.mark.integration


def _gbk_copy(text: str) -> bytes:
    """The same report saved again: GB18030, CRLF line ends, trailing blanks."""
    return "\r\n".join(line + "  " for line in text.split("\n")).encode("gb18030")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("provenance")
    data, inbox = root / "data", root / "inbox"
    warehouse = data / "warehouse.duckdb"
    text = seed(seeds_dir, "004").read_text(encoding="utf-8")
    (inbox / "2020").mkdir(parents=True)
    (inbox / "2020" / "hutubi.txt").write_text(text, encoding="utf-8")
    land_inbox(inbox, data / "raw")  # the UTF-8 copy lands first ...
    time.sleep(0.01)
    (inbox / "2020" / "hutubi-gbk.txt").write_bytes(_gbk_copy(text))
    landed = [f.as_row() for f in land_inbox(inbox, data / "raw")]  # ... the GBK one later
    hints: list[tuple[bytes, str | None]] = []
    real_extract = ExtractionGuard.extract  # the worker hands the hint to decode

    def spy(
        self: ExtractionGuard,
        raw_path: Path,
        source: str,
        charset_hint: str | None = None,
        *args: Any,
    ) -> dict[str, Any]:
        hints.append((raw_path.read_bytes(), charset_hint))
        return real_extract(self, raw_path, source, charset_hint, *args)

    with serve(Site()) as site, pytest.MonkeyPatch.context() as mp:
        urls = root / "urls.csv"
        urls.write_text(
            "url,agency,year\n"
            + "".join(
                f"{site.base}{path},{agency},2020\n"
                for path, agency in (
                    ("/gbk-table.txt", "呼图壁县统计局"),
                    ("/report.html", ""),
                    ("/missing", ""),
                )
            ),
            encoding="utf-8",
        )
        landed += [f.as_row() for f in land_urls(urls, data / "raw", settings=FAST)]
        manifest = data / "landing" / "test" / "landed.json"
        manifest.parent.mkdir(parents=True)
        manifest.write_text(json.dumps(landed, ensure_ascii=False), encoding="utf-8")
        mp.setattr(ExtractionGuard, "extract", spy)
        batches = [pipeline.extract_step(b, warehouse) for b in pipeline.plan_step(str(manifest))]
        mp.undo()
        pipeline.load_step(warehouse, str(manifest), batches)
        result = run_dbt_build(warehouse)
        yield {
            "warehouse": warehouse,
            "landed": landed,
            "hints": hints,
            "base": site.base,
            "dbt": result,
        }


def _query(built: dict[str, Any], sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def _sha(built: dict[str, Any], source: str) -> str:
    return next(str(r["report_sha256"]) for r in built["landed"] if r["source_path"] == source)


def test_the_build_succeeds(built: dict[str, Any]) -> None:
    assert built["dbt"].success


def test_fetch_provenance_is_stored_with_the_landing(built: dict[str, Any]) -> None:
    rows = _query(
        built,
        "SELECT url, http_status, charset_hint, agency_hint, typeof(fetched_at), "
        "fetched_at IS NOT NULL FROM raw.landed_files "
        "WHERE url IS NOT NULL ORDER BY url",
    )
    base = built["base"]
    assert rows == [
        (f"{base}/gbk-table.txt", 200, "gbk", "呼图壁县统计局", "TIMESTAMP", True),
        (f"{base}/missing", 404, None, None, "TIMESTAMP", True),
        (f"{base}/report.html", 200, "utf-8", None, "TIMESTAMP", True),
    ]
    inbox = _query(
        built,
        "SELECT count(*) FROM raw.landed_files WHERE url IS NULL AND "
        "fetched_at IS NULL AND http_status IS NULL AND charset_hint IS NULL",
    )
    assert inbox == [(2,)]


def test_the_header_charset_reaches_decode_in_the_extraction_step(built: dict[str, Any]) -> None:
    page = GBK_TABLE_REPORT.encode("gbk")
    assert b"charset" not in page
    assert [hint for data, hint in built["hints"] if data == page] == ["gbk"]
    assert [hint for data, hint in built["hints"] if data.startswith(b"<html")] == ["utf-8"]
    row = _query(
        built,
        "SELECT status, agency, report_year FROM raw.reports WHERE source_path = $url",
        url=built["base"] + "/gbk-table.txt",
    )
    assert row == [("ok", "呼图壁县统计局", 2020)]
    facts = _query(
        built,
        "SELECT f.fact, f.value FROM raw.narrative_facts f JOIN raw.reports r "
        "USING (report_sha256) WHERE r.source_path = $url",
        url=built["base"] + "/gbk-table.txt",
    )
    assert facts == [("active_items", 142.0)]


def test_dim_reports_shows_the_source_url_and_fetch_time(built: dict[str, Any]) -> None:
    rows = _query(
        built,
        "SELECT source_path, source_url, http_status, fetched_at IS NOT NULL "
        "FROM main.dim_reports ORDER BY source_path",
    )
    base = built["base"]
    assert rows == [
        ("2020/hutubi-gbk.txt", None, None, False),
        ("2020/hutubi.txt", None, None, False),
        (f"{base}/gbk-table.txt", f"{base}/gbk-table.txt", 200, True),
        (f"{base}/missing", f"{base}/missing", 404, True),
        (f"{base}/report.html", f"{base}/report.html", 200, True),
    ]


def test_the_same_report_in_another_encoding_is_a_duplicate_of_the_first(
    built: dict[str, Any],
) -> None:
    first, again = _sha(built, "2020/hutubi.txt"), _sha(built, "2020/hutubi-gbk.txt")
    assert first != again  # different bytes ...
    prints = dict(
        _query(built, "SELECT report_sha256, content_fingerprint FROM raw.report_fingerprints")
    )
    assert prints[first] == prints[again] is not None  # ... the same content
    rows = _query(
        built,
        "SELECT report_sha256, is_current, is_superseded, is_duplicate, "
        "duplicate_of_sha256, cell_count FROM main.dim_reports "
        "WHERE report_sha256 IN ($a, $b) ORDER BY is_duplicate",
        a=first,
        b=again,
    )
    assert rows == [(first, True, False, False, None, 198), (again, False, False, True, first, 198)]
    counted = _query(
        built,
        "SELECT report_key, count(*) FROM main.fct_report_cells "
        "WHERE is_current_report AND report_key IN (SELECT report_key FROM "
        "main.dim_reports WHERE report_sha256 IN ($a, $b)) GROUP BY ALL",
        a=first,
        b=again,
    )
    assert len(counted) == 1 and counted[0][1] == 198  # its cells count once
    others = _query(built, "SELECT count(*) FROM main.dim_reports WHERE is_duplicate")
    assert others == [(1,)]  # a fetched page with other content is not a duplicate
