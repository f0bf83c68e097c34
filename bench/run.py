"""Benchmark the yearly load at scale (prints figures; never a timed test).

Generates a synthetic national corpus (``xxgk.synthetic.corpus``, not timed as part of the load),
then either drives the pipeline's step functions directly, extraction spread over a process pool
as Celery workers would (``--mode steps``), or runs the DAG through ``airflow dags test``
(``--mode dag``: one process, mapped tasks one after the other). Each is run twice: the
first run on an empty data directory, then a re-run with no change. Reported: wall time per
step, extraction reports/s per core (reports / CPU seconds of the extracting processes),
peak RSS (whole process tree, sampled every 0.2 s, and the largest single process).

    .venv/bin/python bench/run.py --n 10000 --mode dag
    .venv/bin/python bench/run.py --n 100000 --mode steps --workers 2
    .venv/bin/python bench/run.py --n 2000 --profile       # where extraction time goes
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "plugins"), str(REPO / "bench")]

import psutil  # noqa: E402
from _dbt_times import seconds_by_kind, slowest_models  # noqa: E402

from xxgk.orchestration import pipeline  # noqa: E402
from xxgk.synthetic.corpus import CorpusSpec, read_truth, write_corpus  # noqa: E402

GB = 1024**3


class PeakRss:
    """Samples the RSS of this process and all its descendants (sum, and largest one)."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak_tree, self.peak_single = interval, 0, 0
        self.step = "-"  # the step running now (set by ``timer``)
        self.by_step: dict[str, int] = {}  # peak tree RSS per step
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            rss = []
            for proc in [me, *me.children(recursive=True)]:
                try:
                    rss.append(proc.memory_info().rss)
                except psutil.Error:
                    pass
            self.peak_tree = max(self.peak_tree, sum(rss))
            self.by_step[self.step] = max(self.by_step.get(self.step, 0), sum(rss))
            self.peak_single = max(self.peak_single, max(rss, default=0))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


SAMPLER: PeakRss | None = None  # the running sampler, told which step is running


@contextmanager
def timer(into: dict[str, float], name: str) -> Iterator[None]:
    if SAMPLER is not None:
        SAMPLER.step = name
    start = time.perf_counter()
    try:
        yield
    finally:
        into[name] = time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_steps(
    inbox: Path, warehouse: Path, batch: int, workers: int, validate: bool
) -> dict[str, Any]:
    """One load through the step functions; extraction in a pool of ``workers`` processes."""
    t: dict[str, float] = {}
    with timer(t, "land"):
        landing = pipeline.land_step(inbox, warehouse, None)
    with timer(t, "plan"):
        batch_files = pipeline.plan_step(landing["manifest"], batch)
    cpu = _children_cpu()
    with timer(t, "extract"), ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(pipeline.extract_step, batch_files, [warehouse] * len(batch_files)))
    extract_cpu = _children_cpu() - cpu
    with timer(t, "load"):
        loaded = pipeline.load_step(warehouse, landing["manifest"], results)
    cpu = _children_cpu()
    with timer(t, "dbt_build"):
        built = pipeline.dbt_build_step(warehouse, loaded)
    dbt_cpu = _children_cpu() - cpu  # dbt runs in a subprocess: less noisy than wall time
    if validate:
        with timer(t, "validate"):
            pipeline.validate_step(warehouse, built)
    extracted = sum(r["files"] for r in results)
    return {
        "seconds": t,
        "total": sum(t.values()),
        "extracted": extracted,
        "extract_cpu": extract_cpu,
        "dbt_cpu": dbt_cpu,
        "reloaded": loaded["reports_reloaded"],
        "cells": loaded["cells"],
        "dbt_skipped": built["skipped"],
        # dbt's own per-model times (run_results.json), the slowest first
        "dbt_slowest_models": (
            [] if built["skipped"] else slowest_models(Path(built["run_results"]))
        ),
        # models, data tests, unit tests, seeds: where dbt's time went
        "dbt_seconds_by_kind": (
            {} if built["skipped"] else seconds_by_kind(Path(built["run_results"]))
        ),
    }


def run_dag(inbox: Path, warehouse: Path, batch: int) -> dict[str, Any]:
    """One load through ``airflow dags test`` (the local runner of ``xxgk load``)."""
    from xxgk.orchestration.airflow_local import ensure_airflow, run_dag_test

    ensure_airflow(warehouse.parent)  # migrating Airflow's own DB is not part of the load
    start = time.perf_counter()
    code = run_dag_test(inbox, warehouse, None, batch_size=batch, quiet=True)
    if code != 0:
        raise RuntimeError(f"dags test failed ({code}); see {warehouse.parent / 'airflow'}")
    return {"total": time.perf_counter() - start}


def extraction_rate(inbox: Path, truth: Path, sample: int) -> float:
    """Reports per CPU second of one process (warm), on the first ``sample`` reports."""
    from xxgk.extract import extract_file

    files = [inbox / t["file"] for t in read_truth(truth)[:sample]]
    for path in files[:20]:
        extract_file(path)
    start = time.process_time()
    for path in files:
        extract_file(path)
    return len(files) / (time.process_time() - start)


def profile_extraction(inbox: Path, truth: Path, sample: int) -> None:
    from xxgk.extract import extract_file

    files = [inbox / t["file"] for t in read_truth(truth)[:sample]]
    prof = cProfile.Profile()
    prof.enable()
    for path in files:
        extract_file(path)
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    model = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    pkgs = ("apache-airflow", "duckdb", "dbt-core", "dbt-duckdb", "pyarrow", "great-expectations")
    from xxgk.extract import EXTRACTOR_VERSION

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / GB, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "extractor": EXTRACTOR_VERSION,
        **{p: version(p) for p in pkgs},
        "load_average": os.getloadavg(),
    }


def _corpus(work: Path, n: int, seed: int) -> tuple[Path, Path, float]:
    root = work / f"corpus-{n}-{seed}"
    start = time.perf_counter()
    if not (root / "truth.jsonl").exists():
        write_corpus(root, CorpusSpec(n, seed))
    return root / "inbox", root / "truth.jsonl", time.perf_counter() - start


def _measure(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    global SAMPLER
    with PeakRss() as rss:
        SAMPLER = rss
        out = fn()
    SAMPLER = None
    return {
        **out,
        "peak_tree_gb": rss.peak_tree / GB,
        "peak_single_gb": rss.peak_single / GB,
        "peak_tree_gb_by_step": {k: round(v / GB, 2) for k, v in rss.by_step.items()},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="reports in the corpus")
    ap.add_argument("--mode", choices=("steps", "dag"), default="steps")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20250401)
    ap.add_argument("--work", type=Path, default=Path("/tmp/xxgk-bench"))
    ap.add_argument("--no-validate", action="store_true", help="steps mode: skip GX")
    ap.add_argument("--profile", action="store_true", help="profile extraction and stop")
    ap.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()

    inbox, truth, gen = _corpus(args.work, args.n, args.seed)
    out: dict[str, Any] = {
        "n": args.n,
        "mode": args.mode,
        "corpus_seconds": gen,
        "machine": machine(),
    }
    if args.profile:
        profile_extraction(inbox, truth, min(args.n, 2000))
        return 0
    out["extract_reports_per_cpu_second"] = extraction_rate(inbox, truth, min(args.n, 1000))
    data = args.work / f"data-{args.mode}-{args.n}"
    shutil.rmtree(data, ignore_errors=True)
    warehouse = data / "warehouse.duckdb"
    if args.mode == "steps":

        def once() -> dict[str, Any]:
            return run_steps(inbox, warehouse, args.batch_size, args.workers, not args.no_validate)
    else:

        def once() -> dict[str, Any]:
            return run_dag(inbox, warehouse, args.batch_size)

    out["first"] = _measure(once)
    out["rerun"] = _measure(once)
    out["warehouse_gb"] = warehouse.stat().st_size / GB
    text = json.dumps(out, indent=1, default=str)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
