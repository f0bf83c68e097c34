"""The issue-16 end-to-end check: `xxgk crawl` of the generated site, then the load's steps
(land with the crawl manifest, plan, extract, load, dbt build): every crawled report is in
``dim_reports`` with the URL of its page, the 详见附件 attachment as one report with its
cells read, and a second crawl of the unchanged site downloads nothing again; a page changed
after the load is a new version superseding the old one at the next load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.land.test_crawl import REPORT_PATHS, SETTINGS
from tests.support.crawl_site import Site, serve
from xxgk.land.crawl import crawl
from xxgk.orchestration import pipeline
from xxgk.transform.dbt import run_dbt_build

pytestmark = pytest.mark.integration
CHANGED = "/art/2021/report.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("crawl-warehouse")
    inbox, warehouse = root / "inbox", root / "data" / "warehouse.duckdb"
    with serve(Site()) as site:
        start = [site.base + "/col/nj/index.html"]
        first = crawl(start, inbox, SETTINGS)
        answered_first = dict(site.answers)
        site.answers.clear()
        second = crawl(start, inbox, SETTINGS)
        answered_second = dict(site.answers)
        _load(inbox, warehouse)
        status, headers, body = site.routes[CHANGED]
        site.routes[CHANGED] = (
            status,
            headers,
            body.replace(b"</body>", "<p>（2022年3月更正）</p></body>".encode()),
        )
        crawl(start, inbox, SETTINGS)
        _load(inbox, warehouse)
        result = run_dbt_build(warehouse)
        yield {
            "warehouse": warehouse,
            "base": site.base,
            "first": first,
            "second": second,
            "answered_first": answered_first,
            "answered_second": answered_second,
            "dbt": result,
        }


def _load(inbox: Path, warehouse: Path) -> None:
    landing = pipeline.land_step(inbox, warehouse, None)
    batches = [pipeline.extract_step(b, warehouse) for b in pipeline.plan_step(landing["manifest"])]
    pipeline.load_step(warehouse, landing["manifest"], batches)


def _query(built: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_crawled_report_is_in_dim_reports_with_its_page_url(built: dict[str, Any]) -> None:
    assert built["dbt"].success
    rows = _query(
        built,
        "select report_year, source_url, file_url, breadcrumb, cell_count,"
        " status, is_current from main.dim_reports where is_current"
        " order by report_year",
    )
    base = built["base"]
    assert [(r[0], r[1].removeprefix(base)) for r in rows] == [
        (2017, "/art/2017/report.html"),
        (2019, "/art/2019/report.html"),
        (2020, "/col/nj/old-2020.html"),
        (2021, "/art/2021/report.html"),
        (2022, "/art/2022/cover.html"),
        (2023, "/art/2023/report.html"),
    ]
    assert all(r[3] == "首页 > 政务公开 > 政府信息公开年报" and r[6] for r in rows)
    attachment = next(r for r in rows if r[0] == 2022)
    assert attachment[2] == base + "/module/download/2022nb.pdf"
    assert attachment[4] > 20 and attachment[5] != "quarantined"


def test_the_crawl_was_polite_and_complete(built: dict[str, Any]) -> None:
    first = built["answered_first"]
    assert not any(path.startswith("/col/nj/private/") for path, _ in first)
    assert first[("/art/2017/report.html", 503)] == 1
    assert first[("/art/2017/report.html", 200)] == 1
    assert first[("/art/gone.html", 404)] == 1
    assert all(first[(p, 200)] == 1 for p in REPORT_PATHS)


def test_a_second_crawl_downloads_no_report_again(built: dict[str, Any]) -> None:
    second = built["answered_second"]
    assert (
        sum(n for (path, code), n in second.items() if code == 200 and path != "/robots.txt") == 0
    )
    assert all(second.get((p, 304)) == 1 for p in REPORT_PATHS)
    assert built["second"].by_event.get("fetched", 0) == 0


def test_a_changed_page_supersedes_its_old_version(built: dict[str, Any]) -> None:
    rows = _query(
        built,
        "select is_current, is_superseded from main.dim_reports"
        f" where source_url = '{built['base']}{CHANGED}' order by landed_at",
    )
    assert rows == [(False, True), (True, False)]
