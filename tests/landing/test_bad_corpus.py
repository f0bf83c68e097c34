"""Every bad or unusual input is loaded or quarantined with a reason; nothing is lost."""

from __future__ import annotations

import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.landing.corpus import CASES, HUGE_BYTES, build
from tests.support.warehouse import land_and_load
from xxgk.extract import extract_file
from xxgk.extract.worker import shared_guard
from xxgk.land.inbox import safe_name
from xxgk.load.raw import LoadSummary

TIMEOUT_S = 10  # per file; the default (180 s) would only make the slow case slower


def _load(inbox: Path, data: Path) -> tuple[list[dict[str, Any]], LoadSummary, float]:
    """The load in a process of its own, so its peak memory is this load's alone (the test
    session's earlier children — browsers, LibreOffice, OCR workers — count in
    RUSAGE_CHILDREN too); the extraction worker is stopped first so its peak counts."""
    landed, summary = land_and_load(inbox, data)
    shared_guard().close()
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return landed, summary, peak_kb / 1024


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("corpus")
    build(root / "inbox")
    data = root / "data"
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XXGK_EXTRACT_TIMEOUT_S", str(TIMEOUT_S))
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            landed, summary, peak_mb = pool.submit(_load, root / "inbox", data).result(600)
    return {
        "root": root,
        "landed": landed,
        "summary": summary,
        "warehouse": data / "warehouse.duckdb",
        "seconds": time.monotonic() - started,
        "peak_rss_mb": peak_mb,
    }


def test_the_load_is_bounded_in_time_and_memory(loaded: dict[str, Any]) -> None:
    print(
        f"corpus load: {len(CASES)} files in {loaded['seconds']:.0f} s, "
        f"peak RSS {loaded['peak_rss_mb']:.0f} MB (this process or a worker)"
    )
    assert loaded["seconds"] < 300  # one slow file costs its cap, not hours
    # a 300 MB bomb is never inflated; the corpus's images are read by OCR now, whose
    # models (onnxruntime) take the worker to ~1.3–1.6 GB, under its 2 GB per-file cap
    assert loaded["peak_rss_mb"] < 2000


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)


def test_input_count_equals_extracted_plus_quarantined(loaded: dict[str, Any]) -> None:
    summary = loaded["summary"]
    assert len(loaded["landed"]) == summary.files_landed == len(CASES)
    assert summary.reports_loaded == len(CASES)  # every input has distinct bytes
    extracted = summary.by_status.get("ok", 0) + summary.by_status.get("partial", 0)
    assert extracted + summary.by_status.get("quarantined", 0) == len(CASES)


def test_each_input_has_its_expected_outcome_in_duckdb(loaded: dict[str, Any]) -> None:
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        rows = con.execute(
            "SELECT r.source_path, r.status, min(i.code) FILTER (WHERE i.severity = 'error') "
            "FROM raw.reports r LEFT JOIN raw.issues i USING (report_sha256) "
            "GROUP BY ALL"
        ).fetchall()
    outcome = {source: (status, reason) for source, status, reason in rows}
    expected = {safe_name(c.name): (c.status, c.reason) for c in CASES}
    assert outcome == expected


def test_quarantine_reasons_are_queryable(loaded: dict[str, Any]) -> None:
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        reasons = dict(
            con.execute(
                "SELECT i.code, count(*) FROM raw.reports r "
                "JOIN raw.issues i USING (report_sha256) "
                "WHERE r.status = $status AND i.severity = 'error' GROUP BY i.code",
                {"status": "quarantined"},
            ).fetchall()
        )
        stubs = con.execute(
            "SELECT count(*) FROM raw.landed_files WHERE source_path = $p",
            {"p": "link-outside.txt"},
        ).fetchone()
    expected: dict[str, int] = {}
    for case in CASES:
        if case.reason:
            expected[case.reason] = expected.get(case.reason, 0) + 1
    assert reasons == expected
    assert stubs == (1,)


def test_reports_in_odd_containers_still_give_cells(loaded: dict[str, Any]) -> None:
    with duckdb.connect(str(loaded["warehouse"]), read_only=True) as con:
        cells = dict(
            con.execute(
                "SELECT r.source_path, count(c.metric) FROM raw.reports r "
                "JOIN raw.cells c USING (report_sha256) GROUP BY ALL"
            ).fetchall()
        )
        containers = dict(
            con.execute(
                "SELECT source_path, container FROM raw.reports WHERE status <> 'quarantined'"
            ).fetchall()
        )
    assert (
        cells["report.pdf"]
        == cells["big5.txt"]
        == cells["mixed-encodings.txt"]
        == cells["report-with-nuls.txt"]
        == cells["报告.txt"]
    )
    assert cells["report.docx"] == cells["gbk-undeclared.html"] == cells["utf16-bom.html"]
    assert containers["report.pdf"] == "pdf" and containers["report.docx"] == "docx"


def test_the_50mb_html_is_refused_fast(loaded: dict[str, Any]) -> None:
    huge = loaded["root"] / "inbox" / "huge.html"
    assert huge.stat().st_size >= HUGE_BYTES
    started = time.monotonic()
    record = extract_file(huge)
    assert record["issues"][0]["code"] == "too_large"
    assert time.monotonic() - started < 3.0


def test_nothing_was_written_outside_the_data_folder(loaded: dict[str, Any]) -> None:
    root: Path = loaded["root"]
    top = {p.name for p in root.iterdir()}
    assert top == {"inbox", "data", "outside-secret.txt"}
    raw = root / "data" / "raw"
    assert all(len(p.name) == 64 for p in raw.rglob("*") if p.is_file())
