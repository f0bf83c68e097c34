"""Benchmark: year N + 1 loaded onto a warehouse holding years N - 4 … N (prints; not a test).

A synthetic corpus of ``--years`` + 1 consecutive years, ``--per-year`` reports each
(``xxgk.synthetic.corpus``, agencies reporting across the years), is landed and extracted
once, year by year (cached under ``--work``: extraction is the same whatever the dbt
project). Then, for each ``--project`` (e.g. ``main``'s dbt project and this branch's,
alternating), on a fresh warehouse:

1. first year: load year N - 4 alone, ``dbt build`` (the pipeline's dbt step);
2. history: load years N - 3 … N, one ``dbt build``;
3. next year: load year N + 1, ``dbt build`` — the figure: its cost against step 1's;
4. with ``--check``, for a project with incremental marts: the warehouse copied and rebuilt
   with ``--full-refresh``; every mart must hold the same rows (row count and checksum of
   all columns, as ``same_marts.py``).

Reported per step: wall seconds of the load and of dbt, dbt's CPU seconds (its process
tree; steadier than wall time on a shared machine), the peak RSS of the process tree, how
many reports dbt rebuilt (``int_reports_to_rebuild``, when the project has it) and dbt's ten
slowest models (``run_results.json``). Land and extraction are timed once per year (phase 1).

    .venv/bin/python bench/incremental_year.py --per-year 10000 --years 5 \\
        --project dbt_project --project /tmp/main/dbt_project --check
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "plugins"), str(REPO), str(REPO / "bench")]

import duckdb  # noqa: E402
from _dbt_times import seconds_by_kind, slowest_models  # noqa: E402
from run import PeakRss  # noqa: E402
from same_marts import build_full_refresh, differences, mart_checksums  # noqa: E402

from xxgk.core.env import DBT_PROJECT_DIR  # noqa: E402
from xxgk.orchestration import pipeline  # noqa: E402
from xxgk.synthetic.corpus import CorpusSpec, write_corpus  # noqa: E402

GB = 1024**3
LAST_YEAR = 2023  # year N + 1


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def extract_years(
    work: Path, per_year: int, years: list[int], seed: int, workers: int, batch: int
) -> tuple[Path, list[dict[str, Any]]]:
    """Land and extract every year once (phase 1); cached in ``work``. Returns the data
    directory holding the raw store and the batches, and per year its manifest, batch
    results and timings."""
    root = work / f"incremental-{per_year}x{len(years)}-{seed}"
    cache = root / "years.json"
    data = root / "data"
    if cache.exists():
        return data, list(json.loads(cache.read_text(encoding="utf-8")))
    shutil.rmtree(root, ignore_errors=True)
    corpus = root / "corpus"
    write_corpus(corpus, CorpusSpec(per_year * len(years), seed, years=tuple(years)))
    warehouse = data / "warehouse.duckdb"  # the steps find the data directory from it
    out = []
    for year in years:
        started = time.perf_counter()
        landing = pipeline.land_step(corpus / "inbox", warehouse, year)
        landed = time.perf_counter()
        batches = pipeline.plan_step(landing["manifest"], batch)
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(pipeline.extract_step, batches, [warehouse] * len(batches)))
        out.append(
            {
                "year": year,
                "files": landing["files"],
                "manifest": landing["manifest"],
                "results": results,
                "land_seconds": round(landed - started, 1),
                "extract_seconds": round(time.perf_counter() - landed, 1),
            }
        )
    cache.write_text(json.dumps(out, default=str), encoding="utf-8")
    return data, out


def _rebuilt(warehouse: Path) -> int | None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            row = con.execute("select count(*) from intermediate.int_reports_to_rebuild").fetchone()
        except duckdb.CatalogException:
            return None  # a project without incremental marts
    return int(row[0]) if row else 0


def load_and_build(warehouse: Path, years: list[dict[str, Any]]) -> dict[str, Any]:
    """Load the given years' batches, then the pipeline's dbt step; timings."""
    started = time.perf_counter()
    loaded: dict[str, Any] = {}
    for year in years:
        loaded = pipeline.load_step(warehouse, year["manifest"], year["results"])
    load_seconds = time.perf_counter() - started
    cpu, started = _children_cpu(), time.perf_counter()
    with PeakRss() as rss:
        built = pipeline.dbt_build_step(warehouse, loaded)
    return {
        "years": [y["year"] for y in years],
        "load_seconds": round(load_seconds, 1),
        "dbt_seconds": round(time.perf_counter() - started, 1),
        "dbt_cpu_seconds": round(_children_cpu() - cpu, 1),
        "dbt_peak_tree_gb": round(rss.peak_tree / GB, 2),
        "reports_rebuilt": _rebuilt(warehouse),
        "full_refresh": built.get("full_refresh", False),
        "dbt_seconds_by_kind": seconds_by_kind(Path(built["run_results"])),
        "slowest_models": slowest_models(Path(built["run_results"])),
    }


def full_refresh_check(warehouse: Path, project: Path) -> dict[str, Any]:
    """A copy of the warehouse rebuilt with ``--full-refresh``: do the marts agree?"""
    rebuilt = build_full_refresh(warehouse, project, warehouse.parent.parent / "full-refresh")
    incremental, full = mart_checksums(warehouse), mart_checksums(rebuilt["warehouse"])
    return {
        **{k: v for k, v in rebuilt.items() if k != "warehouse"},
        "marts": {name: [incremental.get(name), full.get(name)] for name in sorted(full)},
        "differing": differences(incremental, full),
    }


def run_project(
    project: Path, data: Path, years: list[dict[str, Any]], check: bool
) -> dict[str, Any]:
    """Steps 1-4 for one dbt project, on a fresh warehouse in ``data``."""
    os.environ[DBT_PROJECT_DIR] = str(project.resolve())
    warehouse = data / "warehouse.duckdb"
    for path in (warehouse, data / "warehouse.duckdb.wal", data / "dbt"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    out: dict[str, Any] = {"project": str(project)}
    out["first_year"] = load_and_build(warehouse, years[:1])
    if years[1:-1]:
        out["history"] = load_and_build(warehouse, years[1:-1])
    out["next_year"] = load_and_build(warehouse, years[-1:])
    first, after = out["first_year"], out["next_year"]
    out["next_vs_first"] = {
        key: round(after[key] / first[key], 2) if first[key] else None
        for key in ("load_seconds", "dbt_seconds", "dbt_cpu_seconds")
    }
    if check and after["reports_rebuilt"] is not None:  # a project with incremental marts
        out["full_refresh"] = full_refresh_check(warehouse, project)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-year", type=int, default=10_000, help="reports per year")
    parser.add_argument("--years", type=int, default=5, help="years held before N + 1")
    parser.add_argument("--project", type=Path, action="append", help="dbt project (repeat)")
    parser.add_argument("--check", action="store_true", help="full refresh identical?")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument("--work", type=Path, default=Path("/tmp/xxgk-bench"))
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.years < 1 or args.per_year < 1:
        parser.error("--years and --per-year must be at least 1")
    years = list(range(LAST_YEAR - args.years, LAST_YEAR + 1))
    data, extracted = extract_years(
        args.work, args.per_year, years, args.seed, args.workers, args.batch_size
    )
    figures: dict[str, Any] = {
        "per_year": args.per_year,
        "years": years,
        "load_average_before": os.getloadavg(),
        "land_extract": [
            {k: y[k] for k in ("year", "files", "land_seconds", "extract_seconds")}
            for y in extracted
        ],
        "projects": [
            run_project(p, data, extracted, args.check)
            for p in args.project or [REPO / "dbt_project"]
        ],
        "load_average_after": os.getloadavg(),
    }
    text = json.dumps(figures, indent=1, default=str)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    failed = any(p.get("full_refresh", {}).get("differing") for p in figures["projects"])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
