"""Run the yearly DAG on this machine through Airflow's ``dags test`` (no scheduler).

Airflow gets its own home under the data directory with a SQLite metadata DB, migrated
on first use; nothing else needs to be started. The run's output is streamed line by line
into ``<data dir>/airflow/last_load.log``; :class:`LoadProgress` reads the task start/end
lines of that stream so the CLI can show which step is running.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from xxgk.core.paths import REPO_ROOT
from xxgk.orchestration.names import (
    DAG_ID,
    DEFAULT_BATCH_SIZE,
    MAPPED_STEP,
    STEPS,
    WAREHOUSE_POOL,
)

_START: Final = re.compile(r"\[DAG TEST\] starting task_id=(\w+) map_index=(-?\d+)")
_END: Final = re.compile(r"\[DAG TEST\] end task task_id=(\w+) map_index=(-?\d+)")
_STATE: Final = re.compile(r"Task instance state updated\b.*\bnew_state=(\w+)")
_RETURNED: Final = re.compile(r"Returned value was: (\[.*?\]) \[airflow")
_RUN_END: Final = re.compile(r"DagRun Finished: .*?\bstate=(\w+)")



def dags_folder() -> Path:
    return Path(os.getenv("XXGK_DAGS_FOLDER", str(REPO_ROOT / "dags"))).resolve()


def airflow_env(data_dir: Path) -> dict[str, str]:
    home = (data_dir / "airflow").resolve()
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(REPO_ROOT / "plugins"), env.get("PYTHONPATH", "")) if p),
    })
    return env


def _airflow_command(args: list[str]) -> list[str]:
    """The ``airflow`` of this virtualenv (else the one on PATH) with ``args``."""
    exe = Path(sys.executable).with_name("airflow")
    return [str(exe) if exe.exists() else "airflow", *args]


def _airflow(args: list[str], env: dict[str, str], *,
             quiet: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_airflow_command(args), env=env, text=True, check=False,
                          capture_output=quiet)


def ensure_airflow(data_dir: Path, *, quiet: bool = True) -> dict[str, str]:
    """Migrate the metadata DB and create the warehouse pool once per data directory."""
    env = airflow_env(data_dir)
    home = Path(env["AIRFLOW_HOME"])
    marker = home / ".xxgk-ready"
    if marker.exists():
        return env
    home.mkdir(parents=True, exist_ok=True)
    for args in (["db", "migrate"],
                 ["pools", "set", WAREHOUSE_POOL, "1", "DuckDB single writer"]):
        res = _airflow(args, env, quiet=quiet)
        if res.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    marker.write_text("ok\n")
    return env


def run_log_path(warehouse: Path) -> Path:
    return warehouse.resolve().parent / "airflow" / "last_load.log"


@dataclass
class Step:
    """One task of the DAG as seen in the run's output."""

    name: str
    state: str = "pending"  # pending → running → success | failed | up_for_retry | …
    started_at: float | None = None
    finished_at: float | None = None
    done: int = 0  # finished mapped instances (extract batches); 0/1 for the others
    total: int | None = None  # mapped instances planned; 1 for the others

    @property
    def seconds(self) -> float:
        if self.started_at is None:
            return 0.0
        return (self.finished_at or time.monotonic()) - self.started_at


@dataclass
class LoadProgress:
    """The state of a ``dags test`` run, updated from its output one line at a time.

    ``feed`` returns the name of the step a line changed (or ``None``), so a display only
    redraws on task starts and ends. Lines of any other shape are ignored: a changed Airflow
    log format makes the progress quiet, never the load fail.
    """

    steps: dict[str, Step] = field(default_factory=lambda: {s: Step(s) for s in STEPS})
    run_state: str | None = None
    _running: str | None = None
    _last_state: str | None = None

    def feed(self, line: str) -> str | None:
        if found := _START.search(line):
            return self._start(found[1])
        if found := _END.search(line):
            return self._end(found[1])
        if found := _STATE.search(line):
            self._last_state = found[1]
        elif (found := _RETURNED.search(line)) and self._running == "plan_batches":
            return self._planned(found[1])
        elif found := _RUN_END.search(line):
            self.run_state = found[1]
        return None

    def _step(self, name: str) -> Step:
        return self.steps.setdefault(name, Step(name))

    def _start(self, name: str) -> str:
        step = self._step(name)
        self._running, self._last_state = name, None
        for other in self.steps.values():  # a mapped step whose batch count was not read
            if other.name != name and other.state == "running":
                other.state, other.finished_at = "success", time.monotonic()
        if step.state != "running":
            step.state, step.started_at, step.finished_at = "running", time.monotonic(), None
        return name

    def _end(self, name: str) -> str:
        step = self._step(name)
        state = self._last_state or "success"
        self._running = None
        if name == MAPPED_STEP and state == "success":
            step.done += 1
            if step.total is None or step.done < step.total:
                return name  # more batches to come: the step is still running
        elif state == "success":
            step.done = 1
        step.state, step.finished_at = state, time.monotonic()
        return name

    def _planned(self, returned: str) -> str | None:
        try:
            batches = ast.literal_eval(returned)
        except (ValueError, SyntaxError):
            return None
        self._step(MAPPED_STEP).total = len(batches)
        return MAPPED_STEP


def run_dag_test(inbox: Path, warehouse: Path, year: int | None, *,
                 batch_size: int = DEFAULT_BATCH_SIZE, quiet: bool = False,
                 on_line: Callable[[str], None] | None = None) -> int:
    """``airflow dags test xxgk_annual_load`` with the load's params; returns the exit code.

    Args:
        inbox: the folder of report files.
        warehouse: the DuckDB file; its folder is the data directory.
        year: only this report year (``None``: every year of the inbox).
        batch_size: reports per mapped extraction task.
        quiet: keep Airflow's output off the terminal (it still goes to the log file).
        on_line: called with each output line (without the newline) while the run goes on.

    Returns:
        The exit code of ``airflow dags test`` (non-zero when the run failed). Unless the
        output goes straight to the terminal (neither ``quiet`` nor ``on_line``), it is also
        written to ``<data dir>/airflow/last_load.log``.
    """
    data_dir = warehouse.resolve().parent
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**ensure_airflow(data_dir), "PYTHONUNBUFFERED": "1"}  # lines as they happen
    conf = {"inbox": str(inbox.resolve()), "warehouse": str(warehouse.resolve()),
            "year": year, "batch_size": batch_size}
    cmd = _airflow_command(["dags", "test", DAG_ID, "--conf", json.dumps(conf)])
    if not quiet and on_line is None:
        return subprocess.run(cmd, env=env, check=False).returncode
    with run_log_path(warehouse).open("w", encoding="utf-8") as log, subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        encoding="utf-8", errors="replace",
    ) as proc:
        assert proc.stdout is not None  # stdout=PIPE
        for line in proc.stdout:
            log.write(line)
            if not quiet:
                sys.stdout.write(line)
            if on_line is not None:
                on_line(line.rstrip("\n"))
    return proc.returncode
