"""The steps of a yearly load, as plain functions the DAG tasks call one each.

Each step reads and writes files under the data directory (the warehouse's folder) and
returns small JSON-able values (paths, counts): never document contents.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from xxgk.batches import DEFAULT_BATCH_SIZE, extract_batch, plan_batches
from xxgk.land import land_inbox
from xxgk.load import load_warehouse

log = logging.getLogger(__name__)


def data_dir_of(warehouse: Path) -> Path:
    """Everything a load writes lives beside the warehouse file."""
    return warehouse.resolve().parent


def _run_dir(data_dir: Path, inbox: Path, year: int | None) -> Path:
    key = hashlib.sha256(f"{inbox.resolve()}|{year}".encode()).hexdigest()[:12]
    return data_dir / "landing" / f"{year or 'all'}-{key}"


def land_step(inbox: Path, warehouse: Path, year: int | None) -> dict[str, Any]:
    """Land the inbox; write the landing manifest; return its path and count."""
    data_dir = data_dir_of(warehouse)
    landed = [f.as_row() for f in land_inbox(inbox, data_dir / "raw", year)]
    run_dir = _run_dir(data_dir, inbox, year)
    run_dir.mkdir(parents=True, exist_ok=True)
    manifest = run_dir / "landed.json"
    manifest.write_text(json.dumps(landed, ensure_ascii=False, indent=0), encoding="utf-8")
    return {"manifest": str(manifest), "files": len(landed)}


def plan_step(manifest: str, batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Write one batch file per ``batch_size`` landed files; return their paths."""
    landed = json.loads(Path(manifest).read_text(encoding="utf-8"))
    run_dir = Path(manifest).parent
    for old in run_dir.glob("batch-*.json"):
        old.unlink()
    paths = []
    for i, batch in enumerate(plan_batches(landed, batch_size)):
        path = run_dir / f"batch-{i:05d}.json"
        path.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def extract_step(batch_file: str, warehouse: Path) -> dict[str, Any]:
    batch = json.loads(Path(batch_file).read_text(encoding="utf-8"))
    return extract_batch(batch, data_dir_of(warehouse) / "extracted")


def load_step(warehouse: Path, manifest: str, batches: list[dict[str, Any]]) -> dict[str, Any]:
    landed = json.loads(Path(manifest).read_text(encoding="utf-8"))
    for row in landed:
        row["landed_at"] = pa.scalar(row["landed_at"]).cast(pa.timestamp("us")).as_py()
    summary = load_warehouse(warehouse, landed, batches)
    return {"files_landed": summary.files_landed, "reports_loaded": summary.reports_loaded,
            "by_status": summary.by_status, "cells": summary.cells}


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)


def summary_step(warehouse: Path, loaded: dict[str, Any],
                 quality: dict[str, Any]) -> dict[str, Any]:
    """Counts of the load and where its outputs are (logged and returned)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE is_current) FROM main.dim_reports"
        ).fetchone()
    reports, current = (int(row[0]), int(row[1])) if row else (0, 0)
    summary = {
        "warehouse": str(warehouse.resolve()),
        "quality_report": quality.get("data_docs_index"),
        "files_landed": loaded["files_landed"],
        "reports_by_status": loaded["by_status"],
        "cells_loaded": loaded["cells"],
        "dim_reports_rows": reports,
        "current_reports": current,
        "quality": {k: v for k, v in quality.items() if k != "data_docs_index"},
    }
    log.info("xxgk load summary: %s", json.dumps(summary, ensure_ascii=False, default=str))
    return summary


def load_outcome(warehouse: Path) -> dict[str, Any]:
    """What a finished load left behind, read from the warehouse and the data directory."""
    import duckdb

    docs = data_dir_of(warehouse) / "quality" / "gx_docs" / "index.html"
    out: dict[str, Any] = {"warehouse": str(warehouse.resolve()), "ok": False,
                           "quality_report": str(docs) if docs.exists() else None,
                           "reports": 0, "by_status": {}}
    if not warehouse.exists():
        return out
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            rows = con.execute(
                "SELECT status, count(*) FROM main.dim_reports GROUP BY status").fetchall()
        except duckdb.Error:
            return out
    out["by_status"] = {str(s): int(n) for s, n in rows}
    out["reports"] = sum(out["by_status"].values())
    results = data_dir_of(warehouse) / "quality" / "rule_results.parquet"
    if results.exists():
        with duckdb.connect() as con:
            out["failed_rules"] = dict(con.execute(
                "SELECT severity, count(*) FROM read_parquet($p) WHERE outcome = 'failed' "
                "GROUP BY severity ORDER BY severity", {"p": str(results)}).fetchall())
    out["ok"] = out["quality_report"] is not None
    return out
