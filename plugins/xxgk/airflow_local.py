"""Run the yearly DAG on this machine through Airflow's ``dags test`` (no scheduler).

Airflow gets its own home under the data directory with a SQLite metadata DB, migrated
on first use; nothing else needs to be started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DAG_ID = "xxgk_annual_load"
REPO = Path(__file__).resolve().parents[2]


def dags_folder() -> Path:
    return Path(os.getenv("XXGK_DAGS_FOLDER", str(REPO / "dags"))).resolve()


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
            p for p in (str(REPO / "plugins"), env.get("PYTHONPATH", "")) if p),
    })
    return env


def _airflow(args: list[str], env: dict[str, str], *,
             quiet: bool) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("airflow")
    cmd = [str(exe) if exe.exists() else "airflow", *args]
    return subprocess.run(cmd, env=env, text=True, check=False,
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
                 ["pools", "set", "xxgk_warehouse", "1", "DuckDB single writer"]):
        res = _airflow(args, env, quiet=quiet)
        if res.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    marker.write_text("ok\n")
    return env


def run_log_path(warehouse: Path) -> Path:
    return warehouse.resolve().parent / "airflow" / "last_load.log"


def run_dag_test(inbox: Path, warehouse: Path, year: int | None, *, batch_size: int = 200,
                 quiet: bool = False) -> int:
    """``airflow dags test xxgk_annual_load`` with the load's params; returns the exit code.

    With ``quiet`` Airflow's own output goes to ``<data dir>/airflow/last_load.log``.
    """
    data_dir = warehouse.resolve().parent
    data_dir.mkdir(parents=True, exist_ok=True)
    env = ensure_airflow(data_dir)
    conf = {"inbox": str(inbox.resolve()), "warehouse": str(warehouse.resolve()),
            "year": year, "batch_size": batch_size}
    res = _airflow(["dags", "test", DAG_ID, "--conf", json.dumps(conf)], env, quiet=quiet)
    if quiet:
        run_log_path(warehouse).write_text(res.stdout + res.stderr, encoding="utf-8")
    return res.returncode
