"""The load's steps in one process, in the DAG's order (the single-process reference)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xxgk.orchestration.pipeline import (
    dbt_build_step,
    extract_step,
    land_step,
    load_step,
    plan_step,
)


def run_steps(
    inbox: Path,
    warehouse: Path,
    batch_size: int = 15,
    *,
    build: bool = True,
    progress: Callable[[str], object] = lambda _: None,
) -> dict[str, Any]:
    """land → plan → extract each batch → load → dbt build, in this process.

    ``progress`` gets ``planned N``, ``extracted I`` (per batch), ``loaded`` and ``built``.
    """
    landing = land_step(inbox, warehouse, None)
    batch_files = plan_step(landing["manifest"], batch_size)
    progress(f"planned {len(batch_files)}")
    results = []
    for i, batch_file in enumerate(batch_files):
        results.append(extract_step(batch_file, warehouse))
        progress(f"extracted {i}")
    loaded = load_step(warehouse, landing["manifest"], results)
    progress("loaded")
    built = dbt_build_step(warehouse, loaded) if build else None
    progress("built")
    return {"batches": len(batch_files), "extracted": results, "loaded": loaded, "built": built}


def forget_all_but_raw(data: Path) -> None:
    """Back to a freshly landed state: the same raw store (so the same landing times and
    paths), no extracted batches, no run folders, no warehouse, no dbt or GX output."""
    for sub in ("extracted", "landing", "dbt", "quality"):
        shutil.rmtree(data / sub, ignore_errors=True)
    (data / "warehouse.duckdb").unlink(missing_ok=True)
