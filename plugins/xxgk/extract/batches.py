"""Extraction in batches: landed files → contract records → Parquet, one file per table.

Batches are what the DAG maps over (a few hundred reports per task, never one task per
report). Output names derive from the batch content and the extractor version, so a re-run
overwrites, not adds, and a batch already extracted by this extractor version is skipped.

Layout under ``<data dir>/extracted/``: ``<table>/batch-<id>.parquet`` per raw table and
``_batches/batch-<id>.json``, the manifest (report digests, paths, counts) written last.

A writer killed midway leaves orphans: ``.<name>.<pid>.tmp`` files (a write in progress)
and ``batch-<id>.parquet`` files whose manifest was never written. Nothing reads them (only
a committed manifest's paths count); :func:`remove_orphans` deletes them once they are old
enough that no live writer can still own them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.parquet as pq

from xxgk.core.memo import Memo
from xxgk.core.quarantine import PAGE_IMAGE
from xxgk.core.schema import PER_REPORT_TABLES, RAW_TABLES
from xxgk.extract import EXTRACTOR_VERSION
from xxgk.extract.agency import Hint, Provenance
from xxgk.extract.page_images import PAGE_IMAGES, PAGE_OF, link_page_images
from xxgk.extract.record import quarantined_record
from xxgk.extract.worker import shared_guard

log = logging.getLogger(__name__)
# A batch's files are written within seconds of each other (tmp file, rename, manifest), so a
# leftover untouched for this long has no live writer; generous for slow shared volumes.
DEFAULT_ORPHAN_AGE_SECONDS = 15 * 60
TMP_SUFFIX = ".tmp"
_ARROW = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "DOUBLE[]": pa.list_(pa.float64()),
    "VARCHAR[]": pa.list_(pa.string()),
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW[typ]) for name, typ in RAW_TABLES[table]])


def plan_batches(landed: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """Split landed files (deduplicated by content) into batches of ``size``; an HTML page
    carries the landed images it shows, which are not reports of their own (page_images)."""
    if size < 1:
        raise ValueError("batch size must be >= 1")
    seen: dict[str, dict[str, Any]] = {}
    linked = link_page_images(landed)
    for item in sorted(linked, key=lambda r: (r["report_sha256"], r["source_path"])):
        seen.setdefault(item["report_sha256"], item)
    items = list(seen.values())
    return [items[i : i + size] for i in range(0, len(items), size)]


def _report_rows(rec: dict[str, Any], now: datetime) -> dict[str, list[dict[str, Any]]]:
    sha = rec["sha256"]
    return {
        "reports": [
            {
                "report_sha256": sha,
                "source_path": rec["source"],
                "status": rec["status"],
                "format": rec["format"],
                "report_year": rec["report_year"],
                "agency": rec["agency"],
                "agency_qualified": rec.get("agency_qualified"),
                "agency_signal": (rec.get("agency_evidence") or {}).get("signal"),
                "agency_snippet": (rec.get("agency_evidence") or {}).get("snippet"),
                "agency_confidence": rec.get("agency_confidence"),
                "admin_level": rec["admin_level"],
                "published_on": _date(rec.get("published_on")),
                "title": rec.get("title"),
                "agency_org_code": rec.get("agency_org_code"),
                "body_type": rec.get("body_type"),
                "region_code": rec.get("region_code"),
                "report_scope": rec.get("report_scope"),
                "scope_evidence": rec.get("report_scope_evidence"),
                "period_start": _date(rec.get("period_start")),
                "period_end": _date(rec.get("period_end")),
                "container": rec.get("container"),
                "extractor_version": EXTRACTOR_VERSION,
                "extracted_at": now,
                "agency_compiler": rec.get("agency_compiler"),
                "region_signal": (rec.get("region_evidence") or {}).get("via"),
                "region_snippet": (rec.get("region_evidence") or {}).get("snippet"),
            }
        ],
        "narrative_facts": [
            {
                "report_sha256": sha,
                "fact_no": i,
                "fact": f["fact"],
                "value": float(f["value"]),
                "approx": f["approx"],
                "text": f["text"],
            }
            for i, f in enumerate(rec["narrative"], start=1)
        ],
        "issues": [
            {"report_sha256": sha, "issue_no": i, **issue}
            for i, issue in enumerate(rec["issues"], start=1)
        ],
        "unread_cells": [
            {
                **u,
                "report_sha256": sha,
                "unread_no": i,
                "candidates": [float(v) for v in u["candidates"]],
            }
            for i, u in enumerate(rec.get("unread_cells", []), start=1)
        ],
        "table_coverage": [
            {
                **c,
                "report_sha256": sha,
                "is_present": c["present"],
                "is_truncated": c["truncated"],
            }
            for c in rec.get("coverage", [])
        ],
    }


def _cell_columns(sha: str, cells: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The cells table's columns for one report's cells (built column by column: ~130 cells
    a report, where a dict per row costs twice as much to build and to convert)."""
    where = [_POSITIONS[c["locator"]] for c in cells]
    return {
        "report_sha256": [sha] * len(cells),
        "cell_no": list(range(1, len(cells) + 1)),
        "table_no": [w[0] for w in where],
        "row_no": [w[1] for w in where],
        "column_no": [w[2] for w in where],
        "metric": [c["metric"] for c in cells],
        "value": [None if c["value"] is None else float(c["value"]) for c in cells],
        "raw": [c["raw"] for c in cells],
        "row_label": [c["row_label"] for c in cells],
        "column_label": [c["column_label"] for c in cells],
        "locator": [c["locator"] for c in cells],
        # read by OCR: the engine's confidence (0–1); NULL for cells from a text layer
        "confidence": [c.get("confidence") for c in cells],
    }


def _add_rows(columns: dict[str, list[Any]], rows: list[dict[str, Any]]) -> None:
    """Append row dicts to a table's columns (a column a row lacks is NULL)."""
    for name, column in columns.items():
        column.extend([r.get(name) for r in rows])


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _position(locator: str) -> tuple[int, int, int]:
    """table/row/column numbers from 'table 3, row 1, column 8' (an OCR'd cell's locator
    goes on with ', page 2, box x0 y0 x1 y1')."""
    table, row, column = (int(part.split()[-1]) for part in locator.split(",")[:3])
    return table, row, column


_POSITIONS: Final = Memo(_position, 65536)  # the same few thousand locators in every report


MANIFEST_DIR = "_batches"  # extracted/_batches/batch-<id>.json: the commit marker of a batch


def batch_id(batch: list[dict[str, Any]], version: str = EXTRACTOR_VERSION) -> str:
    """Content address of a batch: its report digests and the extractor version."""
    shas = "\n".join(sorted(b["report_sha256"] for b in batch))
    return hashlib.sha256(f"{version}\n{shas}".encode()).hexdigest()[:16]


def _manifest_path(out_dir: Path, bid: str) -> Path:
    return out_dir / MANIFEST_DIR / f"batch-{bid}.json"


def _result(manifest: dict[str, Any], path: Path) -> dict[str, Any]:
    """What a task returns for a batch: ids, counts and paths, never the digests."""
    keys = ("batch_id", "extractor_version", "files", "statuses", "paths")
    return {**{k: manifest[k] for k in keys}, "manifest": str(path)}


def read_manifest(path: Path) -> dict[str, Any] | None:
    """A committed batch manifest, or None when it is missing, unreadable or incomplete."""
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not all(Path(p).is_file() for p in manifest.get("paths", {}).values()):
        return None
    return manifest


def extracted_catalog(out_dir: Path, version: str = EXTRACTOR_VERSION) -> dict[str, dict[str, Any]]:
    """report_sha256 → the batch result holding its rows, for batches of ``version``.

    Only committed batches count (manifest written after every Parquet file). When two
    batches hold the same report (two runs extracted it at once), the smaller id wins.
    """
    catalog: dict[str, dict[str, Any]] = {}
    for path in sorted((out_dir / MANIFEST_DIR).glob("batch-*.json"), reverse=True):
        manifest = read_manifest(path)
        if manifest is None or manifest.get("extractor_version") != version:
            continue
        result = _result(manifest, path)
        catalog.update(dict.fromkeys(manifest["shas"], result))
    return catalog


def plan_extraction(
    landed: list[dict[str, Any]],
    size: int,
    out_dir: Path,
) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """Split landed files into batches still to extract and batch results to reuse.

    The landing is cut into batches as ``plan_batches`` does (stable for the same files,
    so a run killed midway re-plans exactly the batches it had not committed). Reports a
    committed batch of this extractor version holds are left out and reused from it.

    Returns:
        (batches to extract, results of the committed batches to load from).
    """
    catalog = extracted_catalog(out_dir)
    todo: list[list[dict[str, Any]]] = []
    reused: dict[str, dict[str, Any]] = {}
    for batch in plan_batches(landed, size):
        rest = []
        for item in batch:
            done = catalog.get(item["report_sha256"])
            if done is None:
                rest.append(item)
            else:
                reused[done["batch_id"]] = done
        if rest:
            todo.append(rest)
    return todo, [reused[k] for k in sorted(reused)]


def _tmp(path: Path) -> Path:
    """A temporary name beside ``path``, private to this process (a task delivered twice
    may run in two workers at once)."""
    return path.with_name(f".{path.name}.{os.getpid()}{TMP_SUFFIX}")


def _orphan_candidates(out_dir: Path) -> list[Path]:
    """Temporary files, and batch Parquet files whose batch has no manifest."""
    committed = {p.stem for p in (out_dir / MANIFEST_DIR).glob("batch-*.json")}
    found: list[Path] = []
    for folder in [out_dir / MANIFEST_DIR, *(out_dir / t for t in PER_REPORT_TABLES)]:
        if not folder.is_dir():
            continue
        found += [p for p in folder.glob(f".*{TMP_SUFFIX}") if p.is_file()]
        if folder.name != MANIFEST_DIR:
            found += [p for p in folder.glob("batch-*.parquet") if p.stem not in committed]
    return sorted(found)


def remove_orphans(
    out_dir: Path, *, min_age_seconds: float = DEFAULT_ORPHAN_AGE_SECONDS, now: float | None = None
) -> list[Path]:
    """Delete what killed batch writers left under ``out_dir`` (``<data dir>/extracted``).

    Orphans are temporary files (``.<name>.<pid>.tmp``) and ``batch-<id>.parquet`` files of a
    batch without a committed manifest. Only those not modified for ``min_age_seconds``
    are deleted: a writer still running (another worker, a task delivered twice) renames
    its files and commits its manifest within seconds, so its files are never touched.
    Committed batches (of any extractor version) are kept.

    Args:
        out_dir: the extraction folder holding ``<table>/`` and ``_batches/``.
        min_age_seconds: how long a file must have been left untouched to be an orphan.
        now: the current time (seconds since the epoch); for tests.

    Returns:
        The deleted paths.
    """
    if min_age_seconds < 0:
        raise ValueError("min_age_seconds must be >= 0")
    cutoff = (time.time() if now is None else now) - min_age_seconds
    removed: list[Path] = []
    for path in _orphan_candidates(out_dir):
        try:
            if path.stat().st_mtime > cutoff:
                continue
            if (
                not path.name.endswith(TMP_SUFFIX)
                and _manifest_path(out_dir, path.stem.removeprefix("batch-")).exists()
            ):  # committed meanwhile
                continue
            path.unlink()
        except FileNotFoundError:  # another cleaner or the writer got there first
            continue
        removed.append(path)
    if removed:
        log.info("removed %d orphaned extraction files under %s", len(removed), out_dir)
    return removed


def _write_json_atomic(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(path)
    tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def provenance(item: dict[str, Any]) -> Provenance:
    """What the landing knows of a file: its inbox path, its URL, the URL list's agency
    column (a hint for that one URL) and, when crawled, the page's title, the link's text and
    the breadcrumb."""
    url, hint = item.get("url"), item.get("agency_hint")
    hints = (Hint(url or item["source_path"], hint, None),) if hint else ()
    return Provenance(
        source=item["source_path"],
        url=url,
        hints=hints,
        page_title=item.get("page_title"),
        anchor_text=item.get("anchor_text"),
        breadcrumb=item.get("breadcrumb"),
    )


def extract_batch(batch: list[dict[str, Any]], out_dir: Path) -> dict[str, Any]:
    """Extract every landed file of ``batch``; write one Parquet file per raw table.

    A batch already extracted by this extractor version (its manifest committed) is not
    extracted again. Parquet files are written first and the manifest last, each by an
    atomic rename, so a killed task leaves either a committed batch or nothing that counts.

    Returns the batch id, the Parquet paths by table, the manifest path and the record
    counts by status.
    """
    bid = batch_id(batch)
    manifest_path = _manifest_path(out_dir, bid)
    done = read_manifest(manifest_path)
    if done is not None:  # the id covers the version: same reports, same extractor
        log.info("batch %s: already extracted, %d files", bid, len(batch))
        return _result(done, manifest_path)
    now = datetime.now(UTC).replace(tzinfo=None)
    columns: dict[str, dict[str, list[Any]]] = {
        t: {name: [] for name, _ in RAW_TABLES[t]} for t in PER_REPORT_TABLES
    }
    statuses: dict[str, int] = {}
    guard = shared_guard()  # per-file time and memory caps, in a worker process
    for item in batch:
        if item.get(PAGE_OF):  # read with its page, not as a report of its own
            rec = quarantined_record(
                item["source_path"],
                item["report_sha256"],
                PAGE_IMAGE,
                f"an image the page {item[PAGE_OF]} shows: read by OCR with that page",
            )
        else:
            rec = guard.extract(
                Path(item["raw_path"]),
                item["source_path"],
                item.get("charset_hint"),  # a fetched page's header
                provenance(item),
                item.get(PAGE_IMAGES),
            )
        rec["sha256"] = item["report_sha256"]  # the landed digest, even if unreadable now
        statuses[rec["status"]] = statuses.get(rec["status"], 0) + 1
        for table, table_rows in _report_rows(rec, now).items():
            _add_rows(columns[table], table_rows)
        for name, values in _cell_columns(rec["sha256"], rec["cells"]).items():
            columns["cells"][name].extend(values)
    paths = {}
    for table, table_columns in columns.items():
        path = out_dir / table / f"batch-{bid}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _tmp(path)
        pq.write_table(pa.Table.from_pydict(table_columns, schema=arrow_schema(table)), tmp)
        tmp.replace(path)
        paths[table] = str(path)
    manifest = {
        "batch_id": bid,
        "extractor_version": EXTRACTOR_VERSION,
        "files": len(batch),
        "statuses": statuses,
        "paths": paths,
        "shas": sorted(item["report_sha256"] for item in batch),
    }
    _write_json_atomic(manifest_path, manifest)
    log.info("batch %s: %d files %s", bid, len(batch), statuses)
    return _result(manifest, manifest_path)
