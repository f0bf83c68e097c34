"""The steps of a yearly load, as plain functions the DAG tasks call one each.

Each step reads and writes files under the data directory (the warehouse's folder) and
returns small JSON-able values (paths, counts): never document contents.

Re-running with the same files does almost no work: landing is content-addressed, batches
already extracted by this extractor version are reused (``plan_step``), the load skips
reports whose batch is loaded already, and dbt / GX are skipped when the warehouse's
inputs (and the dbt project / suites) have not changed since their last success.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from xxgk.core.paths import DataDir, LandingRun
from xxgk.extract.batches import DEFAULT_ORPHAN_AGE_SECONDS, extract_batch, remove_orphans
from xxgk.extract.plan import read_batch, read_reused, write_plan
from xxgk.land.inbox import remove_stale_copies
from xxgk.land.manifest import land_years, read_landed, read_manifest, write_manifest
from xxgk.load.raw import load_warehouse, read_state, write_state
from xxgk.orchestration.names import DEFAULT_BATCH_SIZE

log = logging.getLogger(__name__)
BUILT_STATE = "marts_built_from"  # raw.pipeline_state: inputs of the last successful dbt build
SCHEDULED_RUN_TYPES = frozenset({"scheduled", "backfill"})
"""``DagRunType`` values of the runs that load the year before their logical date."""


def run_type_value(run_type: object) -> str | None:
    """The value of a DAG run's type (``"backfill"``), whatever form the runtime gives it.

    The task runtime hands over Airflow's ``DagRunType`` (a ``str`` enum) whose ``str()`` is
    ``'DagRunType.BACKFILL'``, not the value: comparing that string never matched, so every
    scheduled and backfill run loaded the whole inbox. Take ``.value``; accept the
    ``'DagRunType.X'`` spelling too, for callers that already stringified it.
    """
    if run_type is None:
        return None
    value = str(getattr(run_type, "value", run_type)).strip().lower()
    return value.removeprefix("dagruntype.")


def run_years(
    year: int | None, years: Sequence[int] | None, run_type: object, logical_date: datetime | None
) -> list[int] | None:
    """The report years a DAG run loads; None means every year of the inbox.

    An explicit ``year`` or ``years`` param wins. A scheduled or backfill run without one
    loads the year before its logical date (the run of 1 April 2026 loads the 2025
    reports, due by 31 March); a manual run without one loads every year. ``run_type`` is
    the run's ``DagRunType`` or its value (see :func:`run_type_value`).
    """
    if year is not None:
        return [int(year)]
    if years:
        return sorted({int(y) for y in years})
    if run_type_value(run_type) in SCHEDULED_RUN_TYPES and logical_date is not None:
        return [logical_date.year - 1]
    return None


def land_step(
    inbox: Path, warehouse: Path, year: int | None, years: Sequence[int] | None = None
) -> dict[str, Any]:
    """Land the inbox (``inbox/<year>/…`` of ``year`` or of each of ``years``, else all of
    it); files a crawl put there carry the crawl manifest's provenance (``xxgk.land.crawl``).

    Writes the landing manifest under ``<data dir>/landing/<years>-<key>/`` and returns
    its path and the number of files.

    Raises:
        NothingToLoad: no file to land (``xxgk load`` refuses the same inbox and years).
    """
    data_dir = DataDir.of(warehouse)
    wanted = [year] if year is not None else sorted(set(years or ())) or None
    rows = land_years(inbox, data_dir.raw, wanted)
    manifest = write_manifest(data_dir.landing_run(inbox, wanted), rows)
    return {"manifest": str(manifest), "files": len(rows), "years": wanted}


def remove_stale_temp_files(
    data_dir: DataDir, min_age_seconds: float = DEFAULT_ORPHAN_AGE_SECONDS
) -> list[Path]:
    """Delete what killed tasks left behind under ``data_dir``, before planning a run.

    Orphaned extraction files (``batches.remove_orphans``: temporary files and Parquet of
    batches never committed) and the raw store's temporary landing copies, in both cases
    only files untouched for ``min_age_seconds``, so a writer still running keeps its files.
    """
    removed = remove_orphans(data_dir.extracted, min_age_seconds=min_age_seconds)
    return removed + remove_stale_copies(data_dir.raw, min_age_seconds)


def plan_step(manifest: str, batch_size: int = DEFAULT_BATCH_SIZE) -> list[str]:
    """Write one batch file per batch still to extract; return their paths.

    Reports already extracted by this extractor version are not planned again: their
    batches are listed in ``reused.json`` beside the manifest for the load. At least one
    (possibly empty) batch is returned, so the mapped extraction and the load always run.
    Leftovers of killed tasks are removed first (``remove_stale_temp_files``).
    """
    run = LandingRun.of_manifest(manifest)
    remove_stale_temp_files(run.data_dir)
    return [str(p) for p in write_plan(run, read_manifest(manifest), batch_size)]


def extract_step(batch_file: str, warehouse: Path) -> dict[str, Any]:
    return extract_batch(read_batch(batch_file), DataDir.of(warehouse).extracted)


def load_step(warehouse: Path, manifest: str, batches: list[dict[str, Any]]) -> dict[str, Any]:
    """Load the run's landings and batches (extracted now or reused) into the warehouse."""
    reused = read_reused(LandingRun.of_manifest(manifest))
    summary = load_warehouse(warehouse, read_landed(manifest), [*batches, *reused])
    return {
        "files_landed": summary.files_landed,
        "reports_loaded": summary.reports_loaded,
        "reports_reloaded": summary.reports_reloaded,
        "by_status": summary.by_status,
        "cells": summary.cells,
        "fingerprint": summary.fingerprint,
    }


def tree_digest(
    root: Path, skip: Sequence[str] = ("target", "dbt_packages", "logs", "uncommitted")
) -> str:
    """Digest of every file under ``root`` (names and bytes), skipping build output."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not any(p in skip or p.startswith(".") for p in rel.parts):
            h.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def dbt_build_step(
    warehouse: Path, loaded: dict[str, Any], full_refresh: bool = False
) -> dict[str, Any]:
    """``dbt build``, unless the marts were built from the same inputs and dbt project; then
    dbt's docs of what was built (``dbt docs generate --static``, :func:`dbt_docs_step`).

    The build is incremental (the reports changed since the last build and their
    neighbour years), and a full refresh when asked or when the dbt project changed since
    the last successful build: a macro or model changed can change rows of reports that
    did not.
    """
    from xxgk.transform.dbt import (
        BUILD_RESULTS_FILE,
        dbt_project_dir,
        default_target_dir,
        run_dbt_build,
    )

    project = tree_digest(dbt_project_dir())
    inputs = f"{loaded['fingerprint']}|{project}"
    built = read_state(warehouse, BUILT_STATE)
    if loaded.get("fingerprint") and built == inputs and not full_refresh:
        log.info("dbt build skipped: the warehouse's inputs are unchanged since the last build")
        results = default_target_dir(warehouse) / BUILD_RESULTS_FILE
        docs = dbt_docs_step(warehouse, rebuilt=False)
        return {
            "success": True,
            "skipped": True,
            "run_results": str(results),
            "inputs": inputs,
            "dbt_docs": docs,
        }
    if built is not None and built.rpartition("|")[2] != project:
        log.info("dbt build with --full-refresh: the dbt project changed since the last build")
        full_refresh = True
    result = run_dbt_build(warehouse, full_refresh=full_refresh)
    write_state(warehouse, BUILT_STATE, inputs)
    return {
        "success": result.success,
        "skipped": False,
        "full_refresh": full_refresh,
        "run_results": str(result.run_results_path),
        "inputs": inputs,
        "dbt_docs": dbt_docs_step(warehouse, rebuilt=True),
    }


def dbt_docs_step(warehouse: Path, *, rebuilt: bool) -> str:
    """dbt's docs site of the warehouse just built, as one offline page in dbt's target
    (the publish step puts it beside the reviewer's pages); kept when nothing was rebuilt.

    Run by the dbt task, not the publish step: dbt-duckdb opens the warehouse for writing,
    which only the warehouse pool's tasks may do, and the build's partial parse is reused
    (another target or profile would parse the whole project again, ~10 s more).
    """
    import resource
    import time

    from xxgk.transform.dbt import run_dbt_docs_generate, static_docs

    page = static_docs(warehouse)
    if rebuilt or not page.is_file():
        # its CPU seconds too: on a shared machine the wall time says more about the others
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.monotonic()
        run_dbt_docs_generate(warehouse, static=True)
        spent = resource.getrusage(resource.RUSAGE_CHILDREN)
        log.info(
            "dbt docs generate --static: %.1f s (%.1f s CPU)",
            time.monotonic() - began,
            spent.ru_utime + spent.ru_stime - cpu.ru_utime - cpu.ru_stime,
        )
    return str(page)


def validate_step(warehouse: Path, built: dict[str, Any]) -> dict[str, Any]:
    """Great Expectations on the marts, unless they and the suites are unchanged since the
    last successful validation (its summary is returned again)."""
    from xxgk.core.exceptions import PipelineValidationFailed
    from xxgk.publish.dbt_docs import publish_dbt_docs
    from xxgk.publish.reviewer.site import publish_site
    from xxgk.quality.validate import (
        ValidationSummary,
        default_context_root,
        validate_warehouse,
    )

    data_dir = DataDir.of(warehouse)
    record = data_dir.last_validation
    inputs = f"{built.get('inputs')}|{tree_digest(default_context_root())}"
    if built.get("inputs") and record.exists():
        last = json.loads(record.read_text(encoding="utf-8"))
        docs = last["summary"].get("data_docs_index")
        published = data_dir.dbt_docs.exists() or not built.get("dbt_docs")
        if last.get("inputs") == inputs and docs and Path(docs).exists() and published:
            log.info("validation skipped: marts and suites unchanged since the last one")
            return dict(last["summary"])
    validation: ValidationSummary | None = None
    try:
        validation = validate_warehouse(warehouse, data_dir.root)
    except PipelineValidationFailed as exc:
        validation = exc.summary if isinstance(exc.summary, ValidationSummary) else None
        raise
    finally:
        # the reviewer's pages whatever the suites found: the findings, and which suite failed,
        # beside dbt's docs of the warehouse, which they link
        publish_dbt_docs(built.get("dbt_docs"), data_dir)
        page = publish_site(warehouse, data_dir.quality, validation)
    summary = {**validation.as_dict(), "report_page": str(page)}
    record.write_text(
        json.dumps({"inputs": inputs, "summary": summary}, ensure_ascii=False, default=str),
        encoding="utf-8",
    )
    return summary


def summary_step(
    warehouse: Path, loaded: dict[str, Any], quality: dict[str, Any]
) -> dict[str, Any]:
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
        "reports_reloaded": loaded.get("reports_reloaded"),
        "cells_loaded": loaded["cells"],
        "dim_reports_rows": reports,
        "current_reports": current,
        "quality": {k: v for k, v in quality.items() if k != "data_docs_index"},
    }
    log.info("xxgk load summary: %s", json.dumps(summary, ensure_ascii=False, default=str))
    return summary


def check_warehouse(warehouse: Path) -> None:
    """Open the warehouse (when there is one) read-only and read its catalogue.

    Raises:
        duckdb.Error: another process holds it (the message names the PID) or the file is
            damaged (not a DuckDB file, truncated, a checksum mismatch).
    """
    import duckdb

    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.execute("select count(*) from duckdb_tables()").fetchall()


def load_outcome(warehouse: Path) -> dict[str, Any]:
    """What a finished load left behind, read from the warehouse and the data directory."""
    import duckdb

    docs = DataDir.of(warehouse).gx_docs_index
    out: dict[str, Any] = {
        "warehouse": str(warehouse.resolve()),
        "ok": False,
        "quality_report": str(docs) if docs.exists() else None,
        "reports": 0,
        "by_status": {},
    }
    if not warehouse.exists():
        return out
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            rows = con.execute(
                "SELECT status, count(*) FROM main.dim_reports GROUP BY status"
            ).fetchall()
        except duckdb.Error:
            return out
    out["by_status"] = {str(s): int(n) for s, n in rows}
    out["reports"] = sum(out["by_status"].values())
    results = DataDir.of(warehouse).rule_results
    if results.exists():
        with duckdb.connect() as con:
            out["failed_rules"] = dict(
                con.execute(
                    "SELECT severity, count(*) FROM read_parquet($p) WHERE outcome = 'failed' "
                    "GROUP BY severity ORDER BY severity",
                    {"p": str(results)},
                ).fetchall()
            )
    out["ok"] = out["quality_report"] is not None
    return out


def start_urls_of(value: str | Sequence[str] | None) -> list[str]:
    """Start URLs from a DAG param or ``XXGK_START_URLS`` (a list, or one string of URLs
    separated by blanks, commas or newlines); duplicates and blanks dropped."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(u.strip() for u in items if u and u.strip()))


def crawl_step(
    start_url: str, inbox: Path, max_pages: int, delay_s: float, since: int | None = None
) -> dict[str, Any]:
    """Crawl one site's 年报 column into ``inbox`` (``xxgk.land.crawl``); counts only."""
    from xxgk.land.crawl import CrawlSettings, crawl

    inbox.mkdir(parents=True, exist_ok=True)
    summary = crawl(
        [start_url], inbox, CrawlSettings(max_pages=max_pages, delay_s=delay_s, since=since)
    )
    return {
        "start_url": start_url,
        "pages": summary.pages,
        "requests": summary.requests,
        "reports": len(set(summary.inbox_files)),
        "by_event": summary.by_event,
        "manifest": summary.manifest,
    }
