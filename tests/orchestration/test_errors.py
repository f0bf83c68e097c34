"""Faults a user meets print one line and exit non-zero, never a traceback (``-v`` shows it):
a warehouse locked by another process (named), a second load, a full disk, a read-only data
directory, a damaged warehouse (with how to rebuild it), a bad ``--limit``; ``xxgk extract``
quarantines a FIFO or ``/dev/zero`` behind a symlink instead of hanging."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from tests.support.paths import SAMPLES_INBOX
from xxgk.orchestration import airflow_local
from xxgk.orchestration.cli import main

XXGK = Path(sys.executable).with_name("xxgk")
SAMPLE = SAMPLES_INBOX / "2015"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _one_line(out: str) -> str:
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), out
    assert "Traceback" not in out
    return lines[0]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "warehouse.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table main.dim_reports as select 2020 as report_year, 'x' as f "
            "from range(20000)"
        )
    return path


@pytest.fixture()
def held(warehouse: Path) -> Iterator[int]:
    """Another process writing to the warehouse; yields its PID."""
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', "
        "flush=True); time.sleep(120)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    yield proc.pid
    proc.kill()
    proc.wait()


@pytest.mark.parametrize(
    "args", [("status",), ("quality",), ("sql", "select 1"), ("export", "--to", "csv")]
)
def test_a_locked_warehouse_names_the_holder(
    warehouse: Path, held: int, args: tuple[str, ...]
) -> None:
    code, out = _run(*args, "--warehouse", str(warehouse))
    line = _one_line(out)
    assert code == 1
    assert f"in use by another process (held by PID {held}" in line


def test_a_load_on_a_locked_warehouse_stops_before_running(warehouse: Path, held: int) -> None:
    code, out = _run("load", "--inbox", str(SAMPLE), "--warehouse", str(warehouse))
    assert code == 1
    assert f"in use by another process (held by PID {held}" in _one_line(out.splitlines()[-1])


def test_a_second_load_is_refused_with_the_first_ones_pid(warehouse: Path) -> None:
    with airflow_local.load_lock(warehouse.parent):
        code, out = _run("load", "--inbox", str(SAMPLE), "--warehouse", str(warehouse))
    line = _one_line(out)
    assert code == 1
    assert f"another `xxgk load` is running on {warehouse.parent} (PID {os.getpid()}" in line


def test_a_full_disk_writing_the_load_log(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = warehouse.parent / "airflow"
    home.mkdir()
    (home / ".xxgk-ready").write_text("ok\n")  # no Airflow migration needed for this
    (home / "last_load.log").symlink_to("/dev/full")  # every write: ENOSPC
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def popen(*args: object, **kwargs: object) -> subprocess.Popen[str]:
        started.append(real_popen(["yes", "airflow output"], **kwargs))  # type: ignore[call-overload]
        return started[-1]

    monkeypatch.setattr(airflow_local.subprocess, "Popen", popen)
    code, out = _run("load", "--inbox", str(SAMPLE), "--warehouse", str(warehouse))
    assert code == 1
    line = _one_line(out.splitlines()[-1])
    assert "no space left on the device writing" in line and "last_load.log" in line
    assert started and started[0].poll() is not None  # the run was stopped, not orphaned


def test_a_read_only_data_directory(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the tests may run as root, whom chmod does not stop: the file system says EROFS
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if warehouse.parent in (self, *self.parents):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    code, out = _run("load", "--inbox", str(SAMPLE), "--warehouse", str(warehouse))
    line = _one_line(out)
    assert code == 1
    assert f"cannot write {warehouse.parent / 'airflow'} (Read-only file system)" in line


@pytest.fixture(params=["truncated", "zeroed header", "not duckdb"])
def damaged(request: pytest.FixtureRequest, warehouse: Path) -> Path:
    data = warehouse.read_bytes()
    broken = {
        "truncated": data[: len(data) // 2],
        "zeroed header": bytes(8192) + data[8192:],
        "not duckdb": b"<html>not a database</html>",
    }[request.param]
    warehouse.write_bytes(broken)
    return warehouse


@pytest.mark.parametrize(
    "args", [("status",), ("quality",), ("sql", "select 1"), ("export", "--to", "xlsx")]
)
def test_a_damaged_warehouse_says_how_to_rebuild(damaged: Path, args: tuple[str, ...]) -> None:
    code, out = _run(*args, "--warehouse", str(damaged))
    line = _one_line(out)
    assert code == 1
    assert f"the warehouse {damaged} is damaged" in line
    assert "move the file aside and run `xxgk load`" in line


def test_a_load_onto_a_damaged_warehouse_stops_at_once(damaged: Path) -> None:
    code, out = _run("load", "--inbox", str(SAMPLE), "--warehouse", str(damaged))
    assert code == 1 and "is damaged" in _one_line(out.splitlines()[-1])


def test_a_negative_limit_is_a_usage_error(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["quality", "--warehouse", str(warehouse), "--limit", "-1"])
    assert result.exit_code == 2 and result.exception is not None
    assert "Error: Invalid value for '--limit': -1 is not in the range x>=0." in result.output
    assert "Traceback" not in result.output


def test_the_real_command_prints_one_line_and_v_the_traceback(damaged: Path) -> None:
    plain = subprocess.run(
        [str(XXGK), "status", "--warehouse", str(damaged)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plain.returncode == 1 and plain.stdout == ""
    assert len(plain.stderr.strip().splitlines()) == 1 and "is damaged" in plain.stderr
    verbose = subprocess.run(
        [str(XXGK), "-v", "status", "--warehouse", str(damaged)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verbose.returncode == 1 and "Traceback (most recent call last)" in verbose.stderr


def test_extract_quarantines_a_fifo_and_dev_zero(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "zero.html").symlink_to("/dev/zero")
    report = next(SAMPLE.iterdir())
    files = [str(tmp_path / "pipe.html"), str(tmp_path / "zero.html"), str(report)]
    done = subprocess.run(
        [str(XXGK), "extract", "--json", *files], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in records] == ["quarantined", "quarantined", "ok"]
    assert [r["issues"][0]["code"] for r in records[:2]] == ["not_a_regular_file"] * 2
