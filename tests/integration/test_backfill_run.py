"""A backfill run of the yearly DAG loads the year before its logical date, and only that.

The inbox has two report years (2024 and 2025: two sample reports moved to those years,
since the DAG starts in 2025 and runs before its start date get no tasks); the backfill run
of 1 April 2026 must land, extract and load the 2025 report only. Before the fix the task
runtime's ``str(dag_run.run_type)`` ('DagRunType.BACKFILL') never matched and every year was
loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from xxgk.orchestration.airflow_local import ensure_airflow

pytestmark = pytest.mark.integration

SAMPLES = REPO / "samples" / "inbox"


def test_a_backfill_run_loads_only_its_year(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for sample, year in (("2022", "2024"), ("2023", "2025")):
        for report in (SAMPLES / sample).iterdir():
            moved = inbox / year / report.name
            moved.parent.mkdir(parents=True, exist_ok=True)
            moved.write_text(
                report.read_text(encoding="utf-8").replace(sample, year), encoding="utf-8"
            )
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    env = ensure_airflow(warehouse.parent)
    env["PYTHONPATH"] = f"{REPO}:{env['PYTHONPATH']}"
    env["XXGK_ALLOWED_ROOTS"] = str(tmp_path)  # the DAG refuses paths outside these
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.integration._backfill_driver",
            str(inbox),
            str(warehouse),
            "2026-04-01T06:00:00+00:00",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["run_type"] == "backfill"
    assert run["tasks"]["land"] == "success" and run["tasks"]["load"] == "success", run

    with duckdb.connect(str(warehouse), read_only=True) as con:
        landed = con.execute("SELECT source_path FROM raw.landed_files ORDER BY 1").fetchall()
        years = con.execute("SELECT DISTINCT report_year FROM raw.reports").fetchall()
    assert [p for (p,) in landed] == [
        str(p.relative_to(inbox)) for p in sorted((inbox / "2025").iterdir())
    ]
    assert years == [(2025,)]


def test_a_scheduled_year_without_files_fails_at_land_saying_so(tmp_path: Path) -> None:
    """The yearly run Airflow adds when the DAG is unpaused for a backfill, for a year whose
    folder is not there (a file outside every year folder does not count): the run fails at
    ``land`` with the line ``xxgk load --year`` exits 3 with, nothing downstream runs and the
    warehouse is not created. It used to finish green, ``landed 0 files``."""
    inbox = tmp_path / "inbox"
    (inbox / "2024").mkdir(parents=True)
    for report in (SAMPLES / "2022").iterdir():
        (inbox / "2024" / report.name).write_bytes(report.read_bytes())
        (inbox / report.name).write_bytes(report.read_bytes())  # outside a year folder
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    env = ensure_airflow(warehouse.parent)
    env["PYTHONPATH"] = f"{REPO}:{env['PYTHONPATH']}"
    env["XXGK_ALLOWED_ROOTS"] = str(tmp_path)
    done = subprocess.run(  # the run of 1 April 2027 loads the 2026 reports
        [
            sys.executable,
            "-m",
            "tests.integration._backfill_driver",
            str(inbox),
            str(warehouse),
            "2027-04-01T06:00:00+00:00",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["state"] == "failed", run
    assert run["tasks"]["land"] == "failed", run
    assert {run["tasks"][t] for t in ("plan_batches", "load", "summarize")} == {
        "upstream_failed"
    }, run
    line = f"nothing to load: no report file under {inbox / '2026'}"
    assert line in done.stdout + done.stderr
    assert not warehouse.exists()
