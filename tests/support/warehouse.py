"""One way for tests to build a warehouse: land → extract batches → load (→ dbt build),
through the same package functions the DAG's steps call."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xxgk.extract.batches import extract_batch, plan_batches
from xxgk.land.inbox import land_inbox
from xxgk.load.raw import LoadSummary, load_warehouse


def load_rows(
    landed: list[dict[str, Any]], data: Path, *, batch_size: int = 8, warehouse: Path | None = None
) -> LoadSummary:
    """Extract landed rows in batches under ``data/extracted`` and load them."""
    batches = [extract_batch(b, data / "extracted") for b in plan_batches(landed, batch_size)]
    return load_warehouse(warehouse or data / "warehouse.duckdb", landed, batches)


def land_and_load(
    inbox: Path, data: Path, *, batch_size: int = 8
) -> tuple[list[dict[str, Any]], LoadSummary]:
    """Land ``inbox`` into ``data/raw`` and load it into ``data/warehouse.duckdb``."""
    landed = [f.as_row() for f in land_inbox(inbox, data / "raw")]
    return landed, load_rows(landed, data, batch_size=batch_size)


def build_warehouse(inbox: Path, data: Path, *, batch_size: int = 8) -> Path:
    """Land, load and ``dbt build`` ``inbox``; returns the warehouse (dbt must succeed)."""
    from xxgk.transform.dbt import run_dbt_build

    land_and_load(inbox, data, batch_size=batch_size)
    warehouse = data / "warehouse.duckdb"
    result = run_dbt_build(warehouse)
    assert result.success, result
    return warehouse
