"""dbt's own per-model times, read from a build's ``run_results.json`` (bench helper)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TOP_MODELS = 10


def slowest_models(run_results: Path, top: int = TOP_MODELS) -> list[tuple[str, float]]:
    """The ``top`` slowest models of a dbt run: (model name, execution seconds)."""
    payload: dict[str, Any] = json.loads(run_results.read_text(encoding="utf-8"))
    models = [
        (
            str(node["unique_id"]).rsplit(".", 1)[-1],
            round(float(node.get("execution_time") or 0), 2),
        )
        for node in payload.get("results", [])
        if str(node.get("unique_id", "")).startswith("model.")
    ]
    return sorted(models, key=lambda item: -item[1])[:top]


def seconds_by_kind(run_results: Path) -> dict[str, float]:
    """dbt's execution seconds summed per kind of node (model, test, unit_test, seed, …)."""
    payload: dict[str, Any] = json.loads(run_results.read_text(encoding="utf-8"))
    out: dict[str, float] = {}
    for node in payload.get("results", []):
        kind = str(node.get("unique_id", "?")).split(".", 1)[0]
        out[kind] = round(out.get(kind, 0.0) + float(node.get("execution_time") or 0), 2)
    return out
