"""Every bad or unusual input is loaded or quarantined with a reason; nothing is lost.

What each file becomes is asserted here; how long the corpus takes and how much memory it
needs are a machine's figures, measured by bench/bad_corpus.py (run on two cases below)."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support.bad_corpus import CASES, HUGE_BYTES, build
from tests.support.paths import REPO
from tests.support.warehouse import land_and_load
from xxgk.extract import extract_file
from xxgk.extract.worker import shared_guard
from xxgk.land.inbox import safe_name
from xxgk.load.raw import LoadSummary

# per file: the never-ending PDF costs this once; the default (180 s) would only make it
# slower. Wall time, so it leaves room for the OCR of the scanned cases on a busy machine
# (image-only.pdf takes ~3 s quiet, over 10 s at a load of 9 on 2 cores)
TIMEOUT_S = 45


def _load(inbox: Path, data: Path) -> tuple[list[dict[str, Any]], LoadSummary]:
    """The load in a process of its own with a fresh extraction worker (earlier tests'
    worker may have other limits), stopped before the process ends."""
    landed, summary = land_and_load(inbox, data)
    shared_guard().close()
    return landed, summary


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("corpus")
    build(root / "inbox")
    data = root / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XXGK_EXTRACT_TIMEOUT_S", str(TIMEOUT_S))
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            landed, summary = pool.submit(_load, root / "inbox", data).result(900)
    return {
        "root": root,
        "landed": landed,
        "summary": summary,
        "warehouse": data / "warehouse.duckdb",
    }


def test_the_benchmark_measures_the_corpus_load(tmp_path: Path) -> None:
    """bench/bad_corpus.py runs (on two cases) and reports what it measured."""
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "bad_corpus.py"),
            "--cases",
            "big5.txt,huge.html",
            "--work",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    figures = json.loads(out.stdout)
    assert figures["files"] == figures["files_landed"] == 2
    assert figures["by_status"] == {"ok": 1, "quarantined": 1}  # huge.html: too_large
    assert figures["seconds"] > 0 and figures["peak_rss_mb"] > 0


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


def test_the_50mb_html_is_refused_by_its_size(loaded: dict[str, Any]) -> None:
    huge = loaded["root"] / "inbox" / "huge.html"
    assert huge.stat().st_size >= HUGE_BYTES
    issue = extract_file(huge)["issues"][0]
    assert issue["code"] == "too_large"
    assert issue["message"].startswith(f"{huge.stat().st_size} bytes of text/HTML; the cap")


def test_nothing_was_written_outside_the_data_folder(loaded: dict[str, Any]) -> None:
    root: Path = loaded["root"]
    top = {p.name for p in root.iterdir()}
    assert top == {"inbox", "data", "outside-secret.txt"}
    raw = root / "data" / "raw"
    assert all(len(p.name) == 64 for p in raw.rglob("*") if p.is_file())
