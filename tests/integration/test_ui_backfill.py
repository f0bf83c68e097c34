"""A real backfill: `xxgk ui` (airflow standalone on the project's home) runs the DAG for a
backfill created through the REST API, and the run loads the year before its logical date.

Complements tests/integration/test_backfill_run.py (the DAG in-process as a backfill run):
here the scheduler creates the run from a backfill, exactly as `airflow backfill create`
or the UI's backfill form do. Scheduled runs are switched off for the test
(``[scheduler] use_job_schedule``) so that unpausing does not add the yearly run beside it
(docs/operations.md); only the ``land`` task's result is waited for.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.integration

PORT = 18_093
API = f"http://127.0.0.1:{PORT}"
SAMPLES = REPO / "samples" / "inbox"
XXGK = Path(sys.executable).with_name("xxgk")
RUN = "backfill__2025-04-01T06:00:00+00:00"


def _call(method: str, path: str, token: str | None = None, body: Any = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _until(what: str, probe: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = probe()
        except OSError:  # not listening yet, or 404 until the thing exists
            found = None
        if found:
            return found
        time.sleep(3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[Path]:
    """``xxgk ui`` on a data dir whose inbox has the report years 2024 and 2025."""
    data = tmp_path / "data"
    for sample, year in (("2022", "2024"), ("2023", "2025")):
        for report in (SAMPLES / sample).iterdir():
            moved = data / "inbox" / year / report.name
            moved.parent.mkdir(parents=True, exist_ok=True)
            moved.write_text(
                report.read_text(encoding="utf-8").replace(sample, year), encoding="utf-8"
            )
    env = {**os.environ, "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False"}
    log = (tmp_path / "ui.log").open("w")
    proc = subprocess.Popen(
        [str(XXGK), "ui", "--data-dir", str(data), "--port", str(PORT)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _until("the API server", lambda: _call("GET", "/api/v2/monitor/health"), 420)
        yield data
    finally:
        _stop_group(proc)
        log.close()


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM standalone and every component it started; SIGKILL what is left after 60 s
    (standalone itself exits first: its scheduler and API server take longer)."""
    os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        proc.poll()
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(1)
    os.killpg(proc.pid, signal.SIGKILL)


def test_a_backfill_run_of_the_ui_scheduler_loads_its_year(ui: Path) -> None:
    passwords = ui / "airflow" / "simple_auth_manager_passwords.json.generated"
    password = _until("the admin password", lambda: json.loads(passwords.read_text())["admin"], 60)
    token = _call("POST", "/auth/token", body={"username": "admin", "password": password})[
        "access_token"
    ]
    dags = _until(
        "the DAG",
        lambda: [
            d
            for d in _call("GET", "/api/v2/dags", token)["dags"]
            if d["dag_id"] == "xxgk_annual_load"
        ],
        240,
    )
    assert dags[0]["is_paused"]  # created paused (docs/operations.md)
    _call("PATCH", "/api/v2/dags/xxgk_annual_load", token, {"is_paused": False})
    backfill = {
        "dag_id": "xxgk_annual_load",
        "from_date": "2025-01-01T00:00:00Z",
        "to_date": "2025-12-31T00:00:00Z",
        "max_active_runs": 1,
        "reprocess_behavior": "none",
    }

    def backfill_created() -> bool:
        try:  # SQLite under three busy components can answer 503 (database locked)
            _call("POST", "/api/v2/backfills", token, backfill)
        except OSError:
            pass
        runs = _call("GET", "/api/v2/dags/xxgk_annual_load/dagRuns", token)["dag_runs"]
        return any(r["dag_run_id"] == RUN for r in runs)

    _until("the backfill's run", backfill_created, 180)
    path = (
        f"/api/v2/dags/xxgk_annual_load/dagRuns/{RUN}/taskInstances/land/xcomEntries/return_value"
    )
    landed = _until("land's result", lambda: _call("GET", path, token)["value"], 300)
    assert landed["years"] == [2024] and landed["files"] == 1, landed
    runs = _call("GET", "/api/v2/dags/xxgk_annual_load/dagRuns", token)["dag_runs"]
    assert [(r["run_type"], r["logical_date"][:10]) for r in runs] == [("backfill", "2025-04-01")]
