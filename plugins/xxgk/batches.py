"""Extraction in batches: landed files → contract records → Parquet, one file per table.

Batches are what the DAG maps over (a few hundred reports per task, never one task per
report). Output names derive from the batch content, so a re-run overwrites, not adds.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from xxgk.extract import EXTRACTOR_VERSION, extract_file
from xxgk.schema import PER_REPORT_TABLES, RAW_TABLES

log = logging.getLogger(__name__)
DEFAULT_BATCH_SIZE = 200
_ARROW = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
          "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "DATE": pa.date32(),
          "TIMESTAMP": pa.timestamp("us")}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW[typ]) for name, typ in RAW_TABLES[table]])


def plan_batches(landed: list[dict[str, Any]],
                 size: int = DEFAULT_BATCH_SIZE) -> list[list[dict[str, Any]]]:
    """Split landed files (deduplicated by content) into batches of ``size``."""
    if size < 1:
        raise ValueError("batch size must be >= 1")
    seen: dict[str, dict[str, Any]] = {}
    for item in sorted(landed, key=lambda r: (r["report_sha256"], r["source_path"])):
        seen.setdefault(item["report_sha256"], item)
    items = list(seen.values())
    return [items[i : i + size] for i in range(0, len(items), size)]


def _report_rows(rec: dict[str, Any], now: datetime) -> dict[str, list[dict[str, Any]]]:
    sha = rec["sha256"]
    return {
        "reports": [{
            "report_sha256": sha, "source_path": rec["source"], "status": rec["status"],
            "format": rec["format"], "report_year": rec["report_year"], "agency": rec["agency"],
            "admin_level": rec["admin_level"], "published_on": _date(rec.get("published_on")),
            "title": rec.get("title"), "agency_org_code": rec.get("agency_org_code"),
            "body_type": rec.get("body_type"), "region_code": rec.get("region_code"),
            "report_scope": rec.get("report_scope"),
            "period_start": _date(rec.get("period_start")),
            "period_end": _date(rec.get("period_end")), "container": rec.get("container"),
            "extractor_version": EXTRACTOR_VERSION, "extracted_at": now,
        }],
        "cells": [
            {"report_sha256": sha, "cell_no": i, "table_no": _loc(c, 0), "row_no": _loc(c, 1),
             "column_no": _loc(c, 2), "metric": c["metric"],
             "value": None if c["value"] is None else float(c["value"]), "raw": c["raw"],
             "row_label": c["row_label"], "column_label": c["column_label"],
             "locator": c["locator"]}
            for i, c in enumerate(rec["cells"], start=1)
        ],
        "narrative_facts": [
            {"report_sha256": sha, "fact_no": i, "fact": f["fact"], "value": float(f["value"]),
             "approx": f["approx"], "text": f["text"]}
            for i, f in enumerate(rec["narrative"], start=1)
        ],
        "issues": [
            {"report_sha256": sha, "issue_no": i, **issue}
            for i, issue in enumerate(rec["issues"], start=1)
        ],
    }


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _loc(cell: dict[str, Any], k: int) -> int:
    """table/row/column numbers from 'table 3, row 1, column 8'."""
    return int(cell["locator"].split(",")[k].split()[-1])


def batch_id(batch: list[dict[str, Any]]) -> str:
    h = hashlib.sha256("\n".join(sorted(b["report_sha256"] for b in batch)).encode())
    return h.hexdigest()[:16]


def extract_batch(batch: list[dict[str, Any]], out_dir: Path) -> dict[str, Any]:
    """Extract every landed file of ``batch``; write one Parquet file per raw table.

    Returns the batch id, the Parquet paths by table and the record counts by status.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in PER_REPORT_TABLES}
    statuses: dict[str, int] = {}
    for item in batch:
        rec = extract_file(Path(item["raw_path"]), source=item["source_path"])
        rec["sha256"] = item["report_sha256"]  # the landed digest, even if unreadable now
        statuses[rec["status"]] = statuses.get(rec["status"], 0) + 1
        for table, table_rows in _report_rows(rec, now).items():
            rows[table].extend(table_rows)
    bid = batch_id(batch)
    paths = {}
    for table, table_rows in rows.items():
        path = out_dir / table / f"batch-{bid}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        pq.write_table(pa.Table.from_pylist(table_rows, schema=arrow_schema(table)), tmp)
        tmp.replace(path)
        paths[table] = str(path)
    log.info("batch %s: %d files %s", bid, len(batch), statuses)
    return {"batch_id": bid, "files": len(batch), "statuses": statuses, "paths": paths}
