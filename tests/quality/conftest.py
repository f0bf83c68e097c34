"""Fixtures of the data-quality tests (helpers live in marts.py)."""

from __future__ import annotations

import duckdb
import pytest

from tests.quality.marts import create_marts


@pytest.fixture
def mart_con() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with empty mart tables (dim_metrics filled)."""
    con = duckdb.connect()
    create_marts(con)
    return con
