"""`xxgk airflow-init` leaves a home that plain `airflow` commands (the UI) read correctly.

Before, the generated ``airflow.cfg`` kept Airflow's defaults (``dags_folder`` under the
home, which does not exist, and ``load_examples = True``): xxgk passed the right values only
in its own environment, so the UI on that home listed ~114 example DAGs and showed
``xxgk_annual_load`` as stale.
"""

from __future__ import annotations

import configparser
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from xxgk.orchestration.airflow_local import write_config

AIRFLOW = Path(sys.executable).with_name("airflow")
XXGK = Path(sys.executable).with_name("xxgk")


def test_write_config_replaces_options_in_place_and_adds_missing_ones(tmp_path: Path) -> None:
    cfg = tmp_path / "airflow.cfg"
    cfg.write_text(
        "[core]\n# where DAGs are\ndags_folder = /home/x/airflow/dags\n"
        "load_examples = True\n\n[database]\n# sql_alchemy_conn = sqlite://\n",
        encoding="utf-8",
    )
    write_config(
        cfg,
        {
            "core": {
                "dags_folder": "/repo/dags",
                "load_examples": "False",
                "executor": "LocalExecutor",
            },
            "database": {"sql_alchemy_conn": "sqlite:////h/airflow.db"},
            "cosmos": {"enable_telemetry": "False"},
        },
    )
    text = cfg.read_text(encoding="utf-8")
    assert "# where DAGs are" in text  # Airflow's comments stay
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read_string(text)
    assert dict(parsed["core"]) == {
        "dags_folder": "/repo/dags",
        "load_examples": "False",
        "executor": "LocalExecutor",
    }
    assert parsed["database"]["sql_alchemy_conn"] == "sqlite:////h/airflow.db"
    assert parsed["cosmos"]["enable_telemetry"] == "False"
    write_config(cfg, {"core": {"load_examples": "False"}})
    assert cfg.read_text(encoding="utf-8") == text  # idempotent


def _plain_airflow_env(home: Path) -> dict[str, str]:
    """What a user's shell has: AIRFLOW_HOME only, no AIRFLOW__* overrides from xxgk."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    return {**env, "AIRFLOW_HOME": str(home)}


@pytest.mark.integration
def test_airflow_init_home_lists_the_project_dag_active_and_no_example(tmp_path: Path) -> None:
    data = tmp_path / "data"
    init = subprocess.run(
        [str(XXGK), "airflow-init", "--data-dir", str(data)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert init.returncode == 0, init.stderr
    home = data / "airflow"
    assert f"airflow home: {home.resolve()}" in init.stdout

    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(home / "airflow.cfg", encoding="utf-8")
    assert cfg["core"]["dags_folder"] == str(REPO / "dags")
    assert cfg["core"]["load_examples"] == "False"
    with sqlite3.connect(home / "airflow.db") as db:
        assert db.execute(
            "SELECT slots FROM slot_pool WHERE pool = 'xxgk_warehouse'"
        ).fetchall() == [(1,)]

    env = _plain_airflow_env(home)  # as the UI's processes read the home
    # what the UI's DAG processor does: parse the configured dags folder into the DB
    parsed = subprocess.run(
        [str(AIRFLOW), "dags", "reserialize"],
        env=env,
        cwd=tmp_path,
        text=True,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert parsed.returncode == 0, parsed.stderr[-3000:]
    listed = subprocess.run(
        [str(AIRFLOW), "dags", "list", "-o", "json", "--columns", "dag_id,is_stale"],
        env=env,
        cwd=tmp_path,
        text=True,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert listed.returncode == 0, listed.stderr[-3000:]
    dags = json.loads(listed.stdout.strip().splitlines()[-1])
    project = sorted(p.stem for p in (REPO / "dags").glob("*.py") if not p.name.startswith("_"))
    assert "xxgk_annual_load" in project
    assert sorted(dags, key=lambda d: d["dag_id"]) == [
        {"dag_id": dag_id, "is_stale": "False"} for dag_id in project
    ]  # no example DAG
