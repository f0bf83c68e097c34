"""The DuckDB memory bound every pipeline connection sets (load, validate)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from xxgk.core.db import limit_memory
from xxgk.load.raw import MEMORY_LIMIT_ENV, load_warehouse


def _settings(con: duckdb.DuckDBPyConnection) -> tuple[str, bool]:
    row = con.execute(
        "select current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    ).fetchone()
    assert row is not None
    return str(row[0]), bool(row[1])


def test_the_size_in_the_variable_bounds_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    con = duckdb.connect()
    monkeypatch.setenv("XXGK_TEST_LIMIT", " 512MiB ")
    assert limit_memory(con, "XXGK_TEST_LIMIT", "1GB") == "512MiB"
    assert _settings(con) == ("512.0 MiB", False)
    monkeypatch.delenv("XXGK_TEST_LIMIT")
    limit_memory(con, "XXGK_TEST_LIMIT", "256MiB")  # unset: the default
    assert _settings(con)[0] == "256.0 MiB"


def test_a_load_with_a_malformed_limit_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "lots")
    with pytest.raises(ValueError, match=f"{MEMORY_LIMIT_ENV}='lots': expected a size"):
        load_warehouse(tmp_path / "warehouse.duckdb", [], [])
