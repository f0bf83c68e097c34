"""Landing, batched extraction and the single-writer load: idempotent, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import seed
from tests.support.warehouse import land_and_load
from xxgk.extract.batches import extract_batch, plan_batches
from xxgk.land.inbox import land_inbox
from xxgk.load.raw import LoadCountMismatch, load_warehouse


def _run(inbox: Path, data: Path, batch_size: int = 2) -> tuple[list[dict[str, Any]], Any]:
    return land_and_load(inbox, data, batch_size=batch_size)


def _snapshot(warehouse: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            t: con.execute(f"SELECT * EXCLUDE (extracted_at) FROM raw.{t} ORDER BY ALL").fetchall()
            if t == "reports"
            else con.execute(f"SELECT * FROM raw.{t} ORDER BY ALL").fetchall()
            for t in (
                "landed_files",
                "reports",
                "cells",
                "narrative_facts",
                "issues",
                "report_fingerprints",
            )
        }


@pytest.fixture
def inbox(tmp_path: Path, seeds_dir: Path) -> Path:
    box = tmp_path / "inbox"
    (box / "2017").mkdir(parents=True)
    shutil.copy(seed(seeds_dir, "001"), box / "2017" / "taizhou.txt")
    shutil.copy(seed(seeds_dir, "004"), box / "hutubi.txt")
    (box / "empty.html").write_bytes(b"")
    (box / "binary.dat").write_bytes(bytes(range(256)) * 8)
    (box / ".hidden").write_text("not a report")
    return box


def test_every_file_is_loaded_or_quarantined_with_a_reason(inbox: Path, tmp_path: Path) -> None:
    landed, summary = _run(inbox, tmp_path / "data")
    assert summary.files_landed == 4  # the hidden file is not an input
    assert summary.by_status == {"ok": 2, "quarantined": 2}
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        reasons = dict(
            con.execute(
                "SELECT r.source_path, i.code FROM raw.reports r JOIN raw.issues i "
                "USING (report_sha256) WHERE r.status = 'quarantined' AND i.severity = 'error'"
            ).fetchall()
        )
        value = con.execute(
            "SELECT value FROM raw.cells c JOIN raw.reports r USING (report_sha256) "
            "WHERE r.source_path = '2017/taizhou.txt' AND c.metric = 'old_act_info_total'"
        ).fetchone()
        gazette = con.execute(
            "SELECT value, raw FROM raw.cells WHERE metric = 'old_act_ch_gazette'"
        ).fetchone()
    assert reasons == {"empty.html": "empty", "binary.dat": "not_a_report"}
    assert value == (492.0,)
    assert gazette == (None, "")  # a blank cell is loaded as NULL, not 0
    raw_files = [p for p in (tmp_path / "data" / "raw").rglob("*") if p.is_file()]
    assert sorted(p.name for p in raw_files) == sorted(r["report_sha256"] for r in landed)


def test_rerunning_a_load_changes_nothing(inbox: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _run(inbox, data)
    first = _snapshot(data / "warehouse.duckdb")
    _run(inbox, data, batch_size=1)  # different batching, same result
    assert _snapshot(data / "warehouse.duckdb") == first


FETCH_COLUMNS = (
    "url",
    "fetched_at",
    "http_status",
    "charset_hint",
    "agency_hint",
    "file_url",
    "anchor_text",
    "page_title",
    "breadcrumb",
)  # fetch, then crawl


def test_a_warehouse_from_before_the_fetch_columns_is_migrated(inbox: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    _run(inbox, data)
    first = _snapshot(data / "warehouse.duckdb")
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:  # as an older load left it
        for column in FETCH_COLUMNS:
            con.execute(f"ALTER TABLE raw.landed_files DROP COLUMN {column}")
        con.execute("DROP TABLE raw.report_fingerprints")
    _run(inbox, data)
    assert _snapshot(data / "warehouse.duckdb") == first
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'raw' AND table_name = 'landed_files'"
            ).fetchall()
        )
    assert {c: types[c] for c in FETCH_COLUMNS} == {
        "url": "VARCHAR",
        "fetched_at": "TIMESTAMP",
        "http_status": "INTEGER",
        "charset_hint": "VARCHAR",
        "agency_hint": "VARCHAR",
        "file_url": "VARCHAR",
        "anchor_text": "VARCHAR",
        "page_title": "VARCHAR",
        "breadcrumb": "VARCHAR",
    }


def test_landing_rows_without_the_fetch_keys_still_load(inbox: Path, tmp_path: Path) -> None:
    """A landing manifest written before the fetch columns existed (or by a caller that
    leaves them out) loads with NULLs."""
    data = tmp_path / "data"
    landed, _ = _run(inbox, data)
    old_rows = [{k: v for k, v in row.items() if k not in FETCH_COLUMNS} for row in landed]
    batches = [extract_batch(b, data / "extracted") for b in plan_batches(old_rows, 2)]
    summary = load_warehouse(data / "warehouse.duckdb", old_rows, batches)
    assert summary.files_landed == 4
    row = _snapshot(data / "warehouse.duckdb")["landed_files"][0]
    assert row[7:] == (None,) * len(FETCH_COLUMNS)


def test_a_changed_file_is_a_new_version_and_the_old_one_is_kept(
    inbox: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    _run(inbox, data)
    path = inbox / "2017" / "taizhou.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("网络申请数5", "网络申请数4"), encoding="utf-8"
    )
    _run(inbox, data)
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        versions = con.execute(
            "SELECT count(DISTINCT report_sha256) FROM raw.landed_files "
            "WHERE source_path = '2017/taizhou.txt'"
        ).fetchone()
        values = sorted(
            v
            for (v,) in con.execute(
                "SELECT value FROM raw.cells WHERE metric = 'old_app_recv_online'"
            ).fetchall()
        )
    assert versions == (2,)
    assert values == [4.0, 5.0]


def test_load_refuses_to_lose_a_file(inbox: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    landed = [f.as_row() for f in land_inbox(inbox, data / "raw")]
    batches = [extract_batch(b, data / "extracted") for b in plan_batches(landed, 10)]
    landed.append({**landed[0], "report_sha256": "0" * 64, "source_path": "ghost.txt"})
    with pytest.raises(LoadCountMismatch, match="5 distinct files landed but 4"):
        load_warehouse(data / "warehouse.duckdb", landed, batches)
    assert not (data / "warehouse.duckdb").exists() or _tables(data) == set()


def _tables(data: Path) -> set[str]:
    with duckdb.connect(str(data / "warehouse.duckdb"), read_only=True) as con:
        return {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='raw'"
            ).fetchall()
        }


def test_batches_never_split_one_file_and_deduplicate_content(tmp_path: Path) -> None:
    landed = [
        {"report_sha256": s, "source_path": f"{i}.txt"} for i, s in enumerate(["b", "a", "c", "a"])
    ]
    batches = plan_batches(landed, 2)
    assert [[b["report_sha256"] for b in batch] for batch in batches] == [["a", "b"], ["c"]]
    with pytest.raises(ValueError):
        plan_batches(landed, 0)


def test_content_fingerprints_match_across_encodings_only(inbox: Path, tmp_path: Path) -> None:
    text = (inbox / "hutubi.txt").read_text(encoding="utf-8")
    (inbox / "hutubi-gbk.txt").write_bytes(text.replace("\n", "\r\n  ").encode("gb18030"))
    digit = next(i for i, ch in enumerate(text) if ch.isdigit() and i > 200)  # 专职人员1名
    (inbox / "hutubi-edited.txt").write_text(
        text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1 :], encoding="utf-8"
    )
    landed, _ = _run(inbox, tmp_path / "data")
    sha = {r["source_path"]: r["report_sha256"] for r in landed}
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        prints = dict(
            con.execute(
                "SELECT report_sha256, content_fingerprint FROM raw.report_fingerprints"
            ).fetchall()
        )
    assert prints[sha["hutubi.txt"]] == prints[sha["hutubi-gbk.txt"]] is not None
    assert prints[sha["hutubi-edited.txt"]] not in (None, prints[sha["hutubi.txt"]])
    assert prints[sha["empty.html"]] is None and prints[sha["binary.dat"]] is None
    assert len(prints) == len(sha)
