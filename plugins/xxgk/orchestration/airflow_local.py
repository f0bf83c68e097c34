"""Run the yearly DAG on this machine through Airflow's ``dags test`` (no scheduler).

Airflow gets its own home under the data directory with a SQLite metadata DB, migrated
on first use; nothing else needs to be started. The run's output is streamed line by line
into ``<data dir>/airflow/last_load.log``; ``xxgk.orchestration.progress`` reads the task
start/end lines of that stream so the CLI can show which step is running.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Final

from xxgk.core import env as xxgk_env
from xxgk.core.allowed_roots import with_roots
from xxgk.core.paths import REPO_ROOT, DataDir
from xxgk.orchestration.errors import LoadRunning
from xxgk.orchestration.names import (
    DAG_ID,
    DEFAULT_BATCH_SIZE,
    WAREHOUSE_POOL,
)
from xxgk.orchestration.stopping import stop_tree


def dags_folder() -> Path:
    return Path(os.getenv(xxgk_env.DAGS_FOLDER, str(REPO_ROOT / "dags"))).resolve()


def home_settings(home: Path) -> dict[str, dict[str, str]]:
    """The settings of the project's Airflow home, by ``airflow.cfg`` section.

    Written into the home's ``airflow.cfg`` (:func:`write_config`) as well as given as
    environment variables, so that a plain ``AIRFLOW_HOME=data/airflow airflow …`` (the UI,
    ``airflow standalone``) sees the project's DAG and no examples, like ``xxgk load`` does.
    """
    return {
        "core": {
            "dags_folder": str(dags_folder()),
            "load_examples": "False",
            "executor": "LocalExecutor",
            "unit_test_mode": "False",
        },
        "database": {"sql_alchemy_conn": f"sqlite:///{home / 'airflow.db'}"},
        "cosmos": {"enable_telemetry": "False"},  # there is no outside network
    }


def airflow_env(data_dir: Path) -> dict[str, str]:
    home = DataDir(data_dir).airflow.resolve()
    env = dict(os.environ)
    env["AIRFLOW_HOME"] = str(home)
    for section, values in home_settings(home).items():
        env.update(
            {f"AIRFLOW__{section.upper()}__{key.upper()}": value for key, value in values.items()}
        )
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT / "plugins"), env.get("PYTHONPATH", "")) if p
    )
    return env


_SECTION: Final = re.compile(r"^\[([^\]]+)\]\s*$")
_OPTION: Final = re.compile(r"^\s*#?\s*([A-Za-z0-9_]+)\s*=")


def write_config(cfg: Path, settings: dict[str, dict[str, str]]) -> None:
    """Set ``settings`` in ``cfg`` in place, keeping Airflow's comments and other options.

    An option present (or commented out) in its section is replaced on that line; a missing
    one is added at the end of its section, a missing section at the end of the file.
    """
    lines = cfg.read_text(encoding="utf-8").splitlines() if cfg.exists() else []
    todo = {section: dict(values) for section, values in settings.items()}
    out: list[str] = []
    section: str | None = None

    def close_section() -> None:
        for key, value in todo.get(section or "", {}).items():
            out.append(f"{key} = {value}")
        todo.pop(section or "", None)

    for line in lines:
        if found := _SECTION.match(line):
            close_section()
            section = found[1]
        elif (found := _OPTION.match(line)) and found[1] in todo.get(section or "", {}):
            line = f"{found[1]} = {todo[section or ''].pop(found[1])}"
        out.append(line)
    close_section()
    for name, values in todo.items():
        out.extend(["", f"[{name}]", *(f"{k} = {v}" for k, v in values.items())])
    text = "\n".join(out) + "\n"
    if lines and text == "\n".join(lines) + "\n":
        return  # already so: every `xxgk load` calls this, most find nothing to change
    # whole or not at all: a second load, or Airflow itself, may read it at the same time
    tmp = cfg.with_name(f".{cfg.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, cfg)


def _airflow_command(args: list[str]) -> list[str]:
    """The ``airflow`` of this virtualenv (else the one on PATH) with ``args``."""
    exe = Path(sys.executable).with_name("airflow")
    return [str(exe) if exe.exists() else "airflow", *args]


def _airflow(
    args: list[str], env: dict[str, str], *, quiet: bool
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _airflow_command(args), env=env, text=True, check=False, capture_output=quiet
    )


def ensure_airflow(data_dir: Path, *, quiet: bool = True) -> dict[str, str]:
    """Migrate the metadata DB and create the warehouse pool once per data directory, and
    keep the home's ``airflow.cfg`` on the project's settings (every call: it is cheap, and
    homes made before the settings were written there get them too)."""
    env = airflow_env(data_dir)
    home = Path(env["AIRFLOW_HOME"])
    marker = home / ".xxgk-ready"
    if not marker.exists():
        home.mkdir(parents=True, exist_ok=True)
        for args in (
            ["db", "migrate"],  # also writes Airflow's default airflow.cfg
            ["pools", "set", WAREHOUSE_POOL, "1", "DuckDB single writer"],
        ):
            res = _airflow(args, env, quiet=quiet)
            if res.returncode != 0:
                raise RuntimeError(f"airflow {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
        marker.write_text("ok\n")
    write_config(home / "airflow.cfg", home_settings(home))
    return env


DEFAULT_UI_PORT: Final = 8080


def ui_env(data_dir: Path, port: int = DEFAULT_UI_PORT) -> dict[str, str]:
    """The environment of ``airflow standalone`` serving the UI of the project's home.

    Runs the DAG triggered from the UI take the data directory's warehouse and inbox unless
    ``XXGK_WAREHOUSE`` / ``XXGK_INBOX`` say otherwise (the DAG's defaults are relative to
    the working directory, which is not the user's business in the UI).
    """
    env = ensure_airflow(data_dir)
    data = DataDir(data_dir.resolve())
    env.setdefault(xxgk_env.WAREHOUSE, str(data.warehouse))
    env.setdefault(xxgk_env.INBOX, str(data.inbox))
    # standalone starts its components as `airflow …` from PATH: this virtualenv's first
    bin_dir = str(Path(_airflow_command([])[0]).parent)
    if bin_dir != ".":
        env["PATH"] = os.pathsep.join(p for p in (bin_dir, env.get("PATH", "")) if p)
    # a local UI with a local login: this machine only, unless the user says otherwise
    env.setdefault("AIRFLOW__API__HOST", "127.0.0.1")
    # the workers call the Task Execution API on the API server: same port
    env.update(
        {
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        }
    )
    return env


def ui_command() -> list[str]:
    """``airflow standalone``: api-server (the UI), scheduler, dag-processor, triggerer."""
    return _airflow_command(["standalone"])


def run_log_path(warehouse: Path) -> Path:
    return DataDir.of(warehouse).load_log


@contextmanager
def load_lock(data_dir: Path) -> Iterator[None]:
    """Hold ``<data dir>/airflow/load.lock`` for the length of a local load, so a second
    ``xxgk load`` on the same data directory stops at once with who holds it, instead of
    failing later on DuckDB's or Airflow's locks. The kernel drops the lock with the process,
    so a killed load never leaves it behind.

    Raises:
        LoadRunning: another load holds the lock.
        OSError: the lock file cannot be written (a read-only or full data directory).
    """
    path = DataDir(data_dir).load_lock
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown process"
            raise LoadRunning(
                f"another `xxgk load` is running on {data_dir} ({holder}): "
                "wait for it to finish, then run the command again"
            ) from None
        fh.seek(0)
        fh.truncate()
        since = datetime.now(UTC).isoformat(timespec="seconds")
        fh.write(f"PID {os.getpid()}, started {since}\n")
        fh.flush()
        yield


def run_dag_test(
    inbox: Path,
    warehouse: Path,
    year: int | None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    quiet: bool = False,
    on_line: Callable[[str], None] | None = None,
) -> int:
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
    data_dir = DataDir.of(warehouse).root
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**ensure_airflow(data_dir), "PYTHONUNBUFFERED": "1"}  # lines as they happen
    env = with_roots(env, [inbox, data_dir])  # the DAG refuses paths outside these roots
    conf = {
        "inbox": str(inbox.resolve()),
        "warehouse": str(warehouse.resolve()),
        "year": year,
        "batch_size": batch_size,
    }
    cmd = _airflow_command(["dags", "test", DAG_ID, "--conf", json.dumps(conf)])
    if not quiet and on_line is None:
        return subprocess.run(cmd, env=env, check=False).returncode
    log_path = run_log_path(warehouse)
    try:
        with (
            log_path.open("w", encoding="utf-8") as log,
            subprocess.Popen(
                cmd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,  # one group with all it starts: see stopping.py
            ) as proc,
        ):
            try:
                _follow(proc, log, quiet, on_line)
            except BaseException:  # a full disk, ^C, SIGTERM: stop the run and all it started
                stop_tree(proc)
                raise
    except OSError as exc:
        if exc.filename is None:  # a failed write does not say which file it was
            raise OSError(exc.errno, exc.strerror, str(log_path)) from exc
        raise
    return proc.returncode


def _follow(
    proc: subprocess.Popen[str], log: IO[str], quiet: bool, on_line: Callable[[str], None] | None
) -> None:
    assert proc.stdout is not None  # stdout=PIPE
    for line in proc.stdout:
        log.write(line)
        if not quiet:
            sys.stdout.write(line)
        if on_line is not None:
            on_line(line.rstrip("\n"))
    log.flush()  # a full disk shows here at the latest, not when the file is closed
