"""The DuckDB memory bound every pipeline connection sets (load, validate)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from xxgk.core.db import limit_memory
from xxgk.core.limits import ENV_NAMES, Limits
from xxgk.load.raw import load_warehouse

MEMORY_LIMIT_ENV = ENV_NAMES["load_memory_limit"]


def _settings(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    row = con.execute(
        "select current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    ).fetchone()
    assert row is not None
    return str(row[0]), bool(row[1])


def test_the_size_in_the_variable_bounds_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    con = duckdb.connect()
    monkeypatch.setenv(MEMORY_LIMIT_ENV, " 512MiB ")
    assert limit_memory(con, Limits.from_env().load_memory_limit) == "512MiB"
    assert _settings(con) == ("512.0 MiB", False)
    monkeypatch.delenv(MEMORY_LIMIT_ENV)
    limit_memory(con, Limits.from_env().load_memory_limit)  # unset: the default
    assert _settings(con)[0] == "953.6 MiB"  # DuckDB shows 1GB (10^9 bytes) in MiB
    with pytest.raises(ValueError, match="expected a size"):
        limit_memory(con, "1GB'; select 1; --")


def test_a_load_with_a_malformed_limit_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "lots")
    with pytest.raises(ValueError, match=f"{MEMORY_LIMIT_ENV}='lots': expected a size"):
        load_warehouse(tmp_path / "warehouse.duckdb", [], [])
