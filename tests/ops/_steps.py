"""The load's steps in one process, in the DAG's order (the single-process reference)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from xxgk.pipeline import dbt_build_step, extract_step, land_step, load_step, plan_step


def run_steps(inbox: Path, warehouse: Path, batch_size: int = 15, *,
              build: bool = True) -> dict[str, Any]:
    """land → plan → extract each batch → load → dbt build, in this process."""
    landing = land_step(inbox, warehouse, None)
    batch_files = plan_step(landing["manifest"], batch_size)
    results = [extract_step(b, warehouse) for b in batch_files]
    loaded = load_step(warehouse, landing["manifest"], results)
    built = dbt_build_step(warehouse, loaded) if build else None
    return {"batches": len(batch_files), "extracted": results, "loaded": loaded, "built": built}


def forget_all_but_raw(data: Path) -> None:
    """Back to a freshly landed state: the same raw store (so the same landing times and
    paths), no extracted batches, no run folders, no warehouse, no dbt or GX output."""
    for sub in ("extracted", "landing", "dbt", "quality"):
        shutil.rmtree(data / sub, ignore_errors=True)
    (data / "warehouse.duckdb").unlink(missing_ok=True)
