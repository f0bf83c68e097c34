"""``xxgk`` with ``tests/orchestration/fake_tree.py`` as Airflow:
``python -m tests.orchestration._stop_driver load …`` or ``… ui …`` (a subprocess, so that
real signals reach a real command)."""

from __future__ import annotations

import sys
from pathlib import Path

from xxgk.orchestration import airflow_local
from xxgk.orchestration.cli import main

FAKE = Path(__file__).resolve().with_name("fake_tree.py")

airflow_local._airflow_command = lambda args: [sys.executable, str(FAKE), *args]
main(sys.argv[1:], prog_name="xxgk")
