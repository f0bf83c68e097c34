"""Every benchmark script runs on a tiny input and reports what it measured.

So that a moved module breaks a test here, not the next person who runs a benchmark. No
time is asserted: the figures are the scripts' business (bench/results.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import REPO

BENCH = REPO / "bench"
# every script in bench/ (helpers start with "_")
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if not p.name.startswith("_"))
# the scripts this file runs on a tiny input (the others' tests live beside what they measure)
RUN_HERE = (
    "dbt_build.py",
    "degraded_scans.py",
    "extract_speed.py",
    "incremental_year.py",
    "ocr_speed.py",
    "run.py",
    "same_marts.py",
    "stop_signals.py",
)


def _run(script: str, *args: str | Path, cwd: Path = REPO) -> str:
    completed = subprocess.run(
        [sys.executable, str(BENCH / script), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-4000:]
    return completed.stdout


def test_every_bench_script_is_run_by_a_test_on_a_tiny_input() -> None:
    elsewhere = " ".join(
        path.read_text(encoding="utf-8")
        for path in (REPO / "tests").rglob("test_*.py")
        if path.resolve() != Path(__file__).resolve()
    )
    untested = [name for name in SCRIPTS if name not in RUN_HERE and name not in elsewhere]
    assert not untested, f"bench scripts no test runs: {untested}"


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_imports_and_shows_its_help(script: str) -> None:
    assert "usage:" in _run(script, "--help")


def test_extract_speed_reports_every_measured_report(tmp_path: Path) -> None:
    out = _run("extract_speed.py", "--n", "12", "--warm", "3", "--work", tmp_path, "--json")
    figures = json.loads(out)
    assert figures["corpus_reports"] == 12
    groups = figures["by_container_format"]
    assert sum(g["reports"] for g in groups.values()) == 12
    assert {key.split("/")[0] for key in groups} <= {"text", "html"}
    assert figures["corpus_reports_per_cpu_second"] > 0


@pytest.mark.integration
def test_run_loads_twice_and_times_every_step(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    _run("run.py", "--n", "12", "--workers", "1", "--work", tmp_path, "--out", out)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    first, rerun = figures["first"], figures["rerun"]
    steps = {"land", "plan", "extract", "load", "dbt_build", "validate"}
    assert set(first["seconds"]) == steps == set(rerun["seconds"])
    assert first["extracted"] == 12 and rerun["extracted"] == 0
    assert rerun["dbt_skipped"] and not rerun["dbt_slowest_models"]
    models = [name for name, _ in first["dbt_slowest_models"]]
    assert len(models) == 10 and all(m.startswith(("dim_", "fct_", "int_", "stg_")) for m in models)


@pytest.mark.integration
def test_dbt_build_and_same_marts_on_one_tiny_warehouse(tmp_path: Path) -> None:
    out = _run("dbt_build.py", "-n", "30", "--keep", tmp_path)
    assert "exit code 0" in out
    warehouse = tmp_path / "warehouse.duckdb"
    # the built warehouse against a second build of a copy of it: the same marts
    rebuilt = _run("same_marts.py", warehouse, "--raw", warehouse, "--project", "dbt_project")
    same = json.loads(rebuilt)
    assert same["differing"] == []
    assert same["marts"]["dim_reports"] == [[30, same["marts"]["dim_reports"][0][1]]] * 2
    assert len(same["builds"][1]["slowest_models"]) == 10
    # the built warehouse against a copy of it rebuilt with --full-refresh
    refreshed = json.loads(_run("same_marts.py", "--refresh", warehouse))
    assert refreshed["differing"] == [] and refreshed["builds"][1]["project"].endswith(
        "--full-refresh"
    )


@pytest.mark.integration
def test_incremental_year_loads_the_next_year_onto_the_first(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    args = ("--per-year", "6", "--years", "1", "--workers", "1", "--work", tmp_path)
    _run("incremental_year.py", *args, "--check", "--out", out)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert figures["years"] == [2022, 2023]
    first_files, next_files = (year["files"] for year in figures["land_extract"])
    (project,) = figures["projects"]
    first, after = project["first_year"], project["next_year"]
    assert first["reports_rebuilt"] == first_files  # the first build: every report
    # the new year's reports and the same agencies' reports of the year before
    assert next_files <= after["reports_rebuilt"] <= first_files + next_files
    assert len(after["slowest_models"]) == 10 and after["dbt_cpu_seconds"] > 0
    assert project["full_refresh"]["differing"] == []
    assert set(project["next_vs_first"]) == {"load_seconds", "dbt_seconds", "dbt_cpu_seconds"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice prints the scan")
def test_ocr_speed_reports_its_run() -> None:
    figures = json.loads(_run("ocr_speed.py", "--runs", "1", "--json"))
    # how many cells OCR reads depends on the page timeout, so on the machine's load:
    # the figures are reported, not asserted
    assert figures["pages"] == 3 and len(figures["runs"]) == 1
    assert figures["runs"][0]["ocr_cells"] >= 0 and figures["pages_per_cpu_second"] > 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice prints the scan")
def test_degraded_scans_reports_the_cells_read_back() -> None:
    # the tiny input: the bundled 2021 sample's table 四 (one row of 15 cells), one page
    out = _run(
        "degraded_scans.py",
        *("--reports", "samples", "--only", "sample:2021", "--tables", "4", "--json"),
    )
    (scan,) = json.loads(out)["scans"]
    assert scan["scan"] == "150 dpi, tilted 0.6°, JPEG 60"
    assert (scan["reports"], scan["pages"], scan["cells"]) == (1, 1, 15)
    assert scan["read"] == 15 and scan["wrong"] == 0, scan["by_report"]
    assert scan["cpu_s_per_page"] > 0


@pytest.mark.integration
def test_stop_signals_stops_a_real_load_and_reports_what_was_left() -> None:
    out = _run("stop_signals.py", "load", "--at", "land", "--signal", "SIGTERM")
    assert "exit 143" in out
    assert "running the same command again is safe" in out
    assert "processes left: none" in out
