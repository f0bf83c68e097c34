"""A generated corpus and an in-process run of the load's steps, shared by the ops tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xxgk.corpus import CorpusSpec, CorpusSummary, write_corpus
from xxgk.pipeline import dbt_build_step, extract_step, land_step, load_step, plan_step

OPS_SEED = 6060


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> CorpusSummary:
    """300 generated reports (every format and layout), written once per session."""
    return write_corpus(tmp_path_factory.mktemp("ops-corpus"), CorpusSpec(300, OPS_SEED))


def run_steps(inbox: Path, warehouse: Path, batch_size: int = 15, *,
              build: bool = True) -> dict[str, Any]:
    """The DAG's sequence in this process (land → plan → extract each → load → dbt)."""
    landing = land_step(inbox, warehouse, None)
    batch_files = plan_step(landing["manifest"], batch_size)
    results = [extract_step(b, warehouse) for b in batch_files]
    loaded = load_step(warehouse, landing["manifest"], results)
    built = dbt_build_step(warehouse, loaded) if build else None
    return {"batches": len(batch_files), "extracted": results, "loaded": loaded, "built": built}
