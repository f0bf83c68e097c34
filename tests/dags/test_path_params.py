"""A run of the yearly DAG whose ``inbox`` param lies outside ``XXGK_ALLOWED_ROOTS`` fails
at once (no retries), saying which param, which roots and which setting; nothing of the
outside folder is landed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from xxgk.core.allowed_roots import ALLOWED_ROOTS_ENV
from xxgk.orchestration.airflow_local import _airflow_command, ensure_airflow
from xxgk.orchestration.names import DAG_ID

pytestmark = pytest.mark.integration  # airflow dags test


def test_an_inbox_outside_the_allowed_roots_fails_the_run(tmp_path: Path) -> None:
    data, secret = tmp_path / "data", tmp_path / "secret"
    secret.mkdir()
    (secret / "report.txt").write_text("2024年政府信息公开工作年度报告", encoding="utf-8")
    env = {**ensure_airflow(data), ALLOWED_ROOTS_ENV: str(data)}
    conf = {"inbox": str(secret), "warehouse": str(data / "warehouse.duckdb")}
    run = subprocess.run(
        _airflow_command(["dags", "test", DAG_ID, "--conf", json.dumps(conf)]),
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    out = run.stdout + run.stderr
    assert run.returncode != 0, out[-3000:]
    assert f"the inbox param {secret} is outside the allowed roots ({data})" in out, out[-3000:]
    assert "AirflowFailException" in out
    assert out.count("[DAG TEST] starting task_id=land") == 1  # failed, not retried
    assert "starting task_id=plan_batches" not in out
    assert not (data / "raw").exists() and not (data / "landing").exists()
