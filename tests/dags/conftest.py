"""Airflow reads its configuration at import: point it at a throwaway home first."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.support.paths import REPO

_HOME = Path(tempfile.mkdtemp(prefix="xxgk-airflow-home-"))
os.environ.setdefault("AIRFLOW_HOME", str(_HOME))
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ.setdefault("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", f"sqlite:///{_HOME / 'airflow.db'}")
