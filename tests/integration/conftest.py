"""Markers of the integration tests that need more than this checkout."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "celery: starts an Airflow cluster (Postgres, Redis, Celery workers)")
