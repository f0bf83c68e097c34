"""SIGTERM or Ctrl-C (SIGINT) to ``xxgk load`` / ``xxgk ui`` stops every process the
command started, releases the load lock and the warehouse, and says so in one line.

Real processes and real signals: the command runs as a subprocess with
``tests/orchestration/fake_tree.py`` as Airflow, whose tree has the hard cases of a real run
(a child ignoring SIGTERM while holding the warehouse's DuckDB lock, a child in a session of
its own with a grandchild).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import psutil
import pytest

from tests.conftest import REPO
from xxgk.orchestration.airflow_local import load_lock

WAIT_S = 120  # only ever reached when something is broken: the machine may be busy


def _start(
    tmp_path: Path, *args: str, stubborn: bool = False, starting: bool = False
) -> tuple[subprocess.Popen[str], Path, Path]:
    data = tmp_path / "data"
    (data / "airflow").mkdir(parents=True)
    (data / "airflow" / ".xxgk-ready").write_text("ok\n")  # no `airflow db migrate`
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_text("一份报告", encoding="utf-8")
    pids = tmp_path / "pids"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "plugins"), str(REPO)]),
        "XXGK_FAKE_WAREHOUSE": str(data / "warehouse.duckdb"),
        "XXGK_FAKE_PIDS": str(pids),
        "XXGK_INBOX": str(inbox),
        "XXGK_WAREHOUSE": str(data / "warehouse.duckdb"),
        **({"XXGK_FAKE_STUBBORN": "1"} if stubborn else {}),
        **({"XXGK_FAKE_STARTING": "1"} if starting else {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.orchestration._stop_driver", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a Ctrl-C is a SIGINT to that group
    )
    return proc, data, pids


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> list[int]:
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            out, err = proc.communicate(timeout=10) if proc.poll() is None else proc.communicate()
            raise AssertionError(f"the fake Airflow did not start:\n{out}\n{err}")
        time.sleep(0.1)
    return [int(p) for p in path.read_text().split()]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def survivors() -> Iterator[list[int]]:
    """PIDs the test started; any still alive at the end is killed (a failed test must not
    leave sleepers behind)."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _stop(proc: subprocess.Popen[str], how: str, seen: str = "") -> tuple[int, str]:
    if how == "SIGINT":  # Ctrl-C: the terminal signals the foreground process group
        os.killpg(proc.pid, signal.SIGINT)
    else:  # `kill PID`, a service manager, a closed terminal: the command's process only
        os.kill(proc.pid, signal.Signals[how])
    _, err = proc.communicate(timeout=WAIT_S)
    return proc.returncode, seen + err


def _read_until(proc: subprocess.Popen[str], text: str) -> str:
    """Its stderr up to the line holding ``text`` (what the user sees before pressing
    Ctrl-C); the driver's WAIT_S guard is the test's timeout."""
    assert proc.stderr is not None
    seen = ""
    while text not in seen:
        line = proc.stderr.readline()
        if not line:
            raise AssertionError(f"never shown: {text!r}\n{seen}")
        seen += line
    return seen


@pytest.mark.parametrize(
    ("how", "stubborn"),
    [("SIGTERM", True), ("SIGINT", False), ("SIGHUP", False)],
    ids=["SIGTERM, a child ignoring it", "SIGINT", "SIGHUP"],
)
def test_a_stopped_load_leaves_no_process_and_no_lock(
    tmp_path: Path, how: str, stubborn: bool, survivors: list[int]
) -> None:
    proc, data, pids_file = _start(tmp_path, "load", stubborn=stubborn)
    pids = _wait_for(pids_file, proc)
    survivors += pids
    seen = _read_until(proc, "[5/7] dbt_build …")  # the step the user sees running
    code, err = _stop(proc, how, seen)

    assert code == 128 + signal.Signals[how].value, err
    assert [pid for pid in pids if _alive(pid)] == []
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"xxgk load stopped by {how}: Airflow, dbt and the extraction workers")
    # where it stopped, what that leaves, and what the same command does when run again
    assert "it stopped at step dbt_build: the reports are loaded" in last
    assert "running the same command again is safe (landing, extraction and loading are " in last
    assert "dbt builds the marts again" in last
    assert "Aborted!" not in err and "Traceback" not in err
    assert sum("stopped by" in line for line in err.splitlines()) == 1
    with load_lock(data):  # a second load can start
        pass
    duckdb.connect(str(data / "warehouse.duckdb")).close()  # and write the warehouse


def test_a_load_stopped_while_airflow_starts_says_nothing_was_written(
    tmp_path: Path, survivors: list[int]
) -> None:
    proc, data, pids_file = _start(tmp_path, "load", starting=True)
    survivors += _wait_for(pids_file, proc)
    code, err = _stop(proc, "SIGINT")

    assert code == 130, err
    last = err.strip().splitlines()[-1]
    assert last.endswith(
        "it stopped before its first step: nothing was landed and the warehouse is untouched; "
        "running the same command again is safe (it starts the load from the beginning)"
    ), err
    assert not (data / "landing").exists() and not (data / "raw").exists()


def test_a_stopped_ui_leaves_no_process(tmp_path: Path, survivors: list[int]) -> None:
    proc, _, pids_file = _start(tmp_path, "ui", "--data-dir", "data", "--port", "18080")
    pids = _wait_for(pids_file, proc)
    survivors += pids
    code, err = _stop(proc, "SIGINT")

    assert code == 130, err
    assert [pid for pid in pids if _alive(pid)] == []
    assert err.strip().splitlines()[-1].startswith("xxgk ui stopped by SIGINT: airflow standalone")
    assert "Aborted!" not in err and "Traceback" not in err
