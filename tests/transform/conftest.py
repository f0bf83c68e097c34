"""Helpers for the dbt tests: a throwaway DuckDB warehouse with the raw tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from xxgk.core.schema import RAW_TABLES, column_names, ddl

Rows = Mapping[str, Iterable[Mapping[str, Any]]]
WarehouseFactory = Callable[[Path, Rows], Path]


def create_warehouse(path: Path, rows: Rows) -> Path:
    """Create every raw table in a new DuckDB file and insert ``rows`` (table -> row dicts).

    Columns missing from a row dict are NULL. The connection is closed on return, so dbt
    can open the file for writing.
    """
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists raw")
        for table in RAW_TABLES:
            con.execute(ddl(table))
        for table, table_rows in rows.items():
            names = column_names(table)
            placeholders = ", ".join("?" for _ in names)
            values = [[row.get(name) for name in names] for row in table_rows]
            unknown = {key for row in table_rows for key in row} - set(names)
            assert not unknown, f"unknown columns for raw.{table}: {unknown}"
            if values:
                con.executemany(f"insert into raw.{table} values ({placeholders})", values)
    return path


def packaged_metric_dictionary() -> list[dict[str, Any]]:
    """The packaged metrics.yaml flattened: one row per metric code and format."""
    text = resources.files("xxgk").joinpath("data/metrics.yaml").read_text(encoding="utf-8")
    rows = []
    for fmt in yaml.safe_load(text)["formats"]:
        for metric in fmt["metrics"]:
            labels = [str(label) for label in metric["label_path"]]
            on_template = metric.get("on_template")
            code = metric["code"]
            rows.append(
                {
                    "metric_code": code,
                    "format_id": fmt["id"],
                    "table_no": 1 if code.startswith("old_") else _table_no(code),
                    "label_path": " › ".join(labels),
                    "section": labels[0],
                    "row_key": metric.get("row_key"),
                    "column_key": metric.get("column_key"),
                    "unit": metric.get("unit"),
                    "value_type": metric.get("value_type"),
                    "parent_code": metric.get("parent"),
                    "on_template": None if on_template is None else str(on_template).lower(),
                    "comparable_to": metric.get("comparable_to"),
                }
            )
    return rows


def _table_no(code: str) -> int:
    if code.startswith("t3_"):
        return 3
    if code.startswith("t4_"):
        return 4
    return 2


@pytest.fixture(scope="session")
def make_warehouse() -> WarehouseFactory:
    """``make_warehouse(path, rows)`` creates a warehouse file with the raw tables filled."""
    return create_warehouse


@pytest.fixture(scope="session")
def metric_dictionary_rows() -> list[dict[str, Any]]:
    """The whole packaged dictionary, one row per metric code and format."""
    return packaged_metric_dictionary()
