"""Identical-warehouse check: the marts of dbt builds on the same inputs (prints; not a test).

Each build copies one warehouse's ``raw`` schema (``--raw``: a benchmark's warehouse, or one
a load left; everything else is dropped from the copy) and runs ``dbt build`` on the copy with
a dbt project (``--project``, repeatable: e.g. ``main``'s and a branch's); warehouses already
built are given as paths. Both can be mixed; the first build is the reference. Every table of
the marts schema (``main``) is reduced to its row count and an order-independent checksum of
all its columns (``tests.support.checksums``); the script prints them side by side, dbt's wall
and CPU time and its ten slowest models per build (``run_results.json``), and exits 1 when any
mart differs from the first build's.

With ``--refresh``, a warehouse built incrementally (year after year, corrected files) is
the reference, and a copy of it (raw tables, marts and all) is rebuilt with
``dbt build --full-refresh`` (``--project``, default this repository's): the incremental
marts must equal the ones built from scratch on the same inputs.

    .venv/bin/python bench/same_marts.py --raw /tmp/xxgk-bench/data-steps-10000/warehouse.duckdb \\
        --project ../main/dbt_project --project dbt_project
    .venv/bin/python bench/same_marts.py a/warehouse.duckdb b/warehouse.duckdb
    .venv/bin/python bench/same_marts.py --refresh data/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "plugins"), str(REPO), str(REPO / "bench")]

from _dbt_times import seconds_by_kind, slowest_models  # noqa: E402

from tests.support.checksums import warehouse_checksums  # noqa: E402
from xxgk.transform.dbt import run_dbt_build  # noqa: E402

MARTS_SCHEMA = "main"

Checksums = dict[str, tuple[int, int]]


def mart_checksums(warehouse: Path) -> Checksums:
    """Row count and checksum of every table in the marts schema, keyed by table name."""
    prefix = f"{MARTS_SCHEMA}."
    return {
        name.removeprefix(prefix): value
        for name, value in warehouse_checksums(warehouse, ignore=()).items()
        if name.startswith(prefix)
    }


def differences(first: Checksums, other: Checksums) -> list[str]:
    """The marts whose rows differ between two builds (or exist in only one)."""
    names = first.keys() | other.keys()
    return sorted(name for name in names if first.get(name) != other.get(name))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _keep_raw_only(warehouse: Path) -> None:
    """Drop every view and table outside ``raw``, so that each build starts from the same state."""
    import duckdb

    with duckdb.connect(str(warehouse)) as con:
        views = con.execute(
            "select schema_name, view_name from duckdb_views() "
            "where schema_name <> 'raw' and not internal and not temporary"
        ).fetchall()
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name <> 'raw' and not temporary"
        ).fetchall()
        for kind, names in (("view", views), ("table", tables)):
            for schema, name in names:
                con.execute(f'drop {kind} if exists "{schema}"."{name}"')


def build(raw: Path, project: Path, work: Path) -> dict[str, Any]:
    """Copy ``raw`` into ``work`` and ``dbt build`` it with ``project``; timings."""
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "warehouse.duckdb"
    shutil.copyfile(raw, warehouse)
    _keep_raw_only(warehouse)
    started, cpu = time.perf_counter(), _children_cpu()
    result = run_dbt_build(warehouse, project_dir=project.resolve())
    return {
        "project": str(project),
        "warehouse": warehouse,
        "dbt_seconds": round(time.perf_counter() - started, 1),
        # dbt's CPU seconds (all its threads): on a shared machine, less noisy than wall time
        "dbt_cpu_seconds": round(_children_cpu() - cpu, 1),
        "dbt_seconds_by_kind": seconds_by_kind(result.run_results_path),
        "slowest_models": slowest_models(result.run_results_path),
    }


def build_full_refresh(warehouse: Path, project: Path, work: Path) -> dict[str, Any]:
    """Copy a built ``warehouse`` whole into ``work`` and rebuild it with ``--full-refresh``."""
    work.mkdir(parents=True, exist_ok=True)
    copy = work / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    started, cpu = time.perf_counter(), _children_cpu()
    result = run_dbt_build(copy, project_dir=project.resolve(), full_refresh=True)
    return {
        "project": f"{project} --full-refresh",
        "warehouse": copy,
        "dbt_seconds": round(time.perf_counter() - started, 1),
        "dbt_cpu_seconds": round(_children_cpu() - cpu, 1),
        "dbt_seconds_by_kind": seconds_by_kind(result.run_results_path),
        "slowest_models": slowest_models(result.run_results_path),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouses", nargs="*", type=Path, help="built warehouses to compare")
    parser.add_argument("--raw", type=Path, help="a warehouse with the raw schema to build")
    parser.add_argument("--project", type=Path, action="append", default=[], help="dbt project")
    parser.add_argument(
        "--refresh", type=Path, help="a built warehouse: compare it with its --full-refresh"
    )
    parser.add_argument("--work", type=Path, help="where the builds go (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.refresh and (args.raw or args.warehouses or len(args.project) > 1):
        parser.error("--refresh takes one warehouse and at most one --project")
    if not args.refresh and (
        bool(args.raw) != bool(args.project) or len(args.warehouses) + len(args.project) < 2
    ):
        parser.error("give two builds or more: built warehouses, --raw with each --project")
    work = args.work or Path(tempfile.mkdtemp(prefix="xxgk-same-marts-"))
    builds: list[dict[str, Any]] = [{"warehouse": path} for path in args.warehouses]
    if args.refresh:
        project = args.project[0] if args.project else REPO / "dbt_project"
        builds = [
            {"warehouse": args.refresh},
            build_full_refresh(args.refresh, project, work / "full-refresh"),
        ]
    for i, project in enumerate([] if args.refresh else args.project):
        builds.append(build(args.raw, project, work / f"build-{i}"))
    sums = [mart_checksums(b["warehouse"]) for b in builds]
    differing = sorted({name for other in sums[1:] for name in differences(sums[0], other)})
    for b in builds:
        b["warehouse"] = str(b["warehouse"])
    marts = {name: [s.get(name) for s in sums] for name in sorted(set().union(*sums))}
    print(json.dumps({"builds": builds, "marts": marts, "differing": differing}, indent=1))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
