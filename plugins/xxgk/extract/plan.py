"""The extraction's hand-off files in a landing run's folder (``xxgk.core.paths.LandingRun``).

``batch-<n>.json``: the landed files of one batch still to extract (one mapped task each);
``reused.json``: the results of batches extracted before by this extractor version, which
the load takes without extracting them again.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from xxgk.core.paths import LandingRun
from xxgk.extract.batches import plan_extraction

log = logging.getLogger(__name__)


def write_plan(run: LandingRun, landed: list[dict[str, Any]], batch_size: int) -> list[Path]:
    """Write one batch file per batch still to extract and the run's reused list.

    Batch files of an earlier planning of the run are removed first. At least one (possibly
    empty) batch is written, so the mapped extraction and the load always run.

    Returns:
        The batch files, in order.
    """
    todo, reused = plan_extraction(landed, batch_size, run.data_dir.extracted)
    for old in run.batches():
        old.unlink()
    paths = []
    for i, batch in enumerate(todo or [[]]):
        path = run.batch(i)
        path.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    run.reused.write_text(json.dumps(reused, ensure_ascii=False), encoding="utf-8")
    log.info("plan: %d batches to extract, %d reused", len(todo), len(reused))
    return paths


def read_batch(batch_file: str | Path) -> list[dict[str, Any]]:
    """The landed files of one batch file."""
    batch: list[dict[str, Any]] = json.loads(Path(batch_file).read_text(encoding="utf-8"))
    return batch


def read_reused(run: LandingRun) -> list[dict[str, Any]]:
    """The results of the batches the run reuses (none when it was never planned)."""
    if not run.reused.exists():
        return []
    reused: list[dict[str, Any]] = json.loads(run.reused.read_text(encoding="utf-8"))
    return reused
