"""The hostile-input corpus's load, timed and measured: wall seconds and peak memory.

The test suite asserts what each hostile file becomes (tests/land/test_bad_corpus.py);
how long that takes and how much memory it needs are bounds of a machine, so they live here
and are checked by hand or in a quiet benchmark run, never in a test::

    .venv/bin/python bench/bad_corpus.py                        # every case, bounds checked
    .venv/bin/python bench/bad_corpus.py --cases report.pdf,big5.txt --json

The load runs in a spawned process of its own (its extraction worker reaped before the peak
is read), so the peak is this load's alone. Exit status 1 when a bound is exceeded.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "plugins")]

from tests.support.bad_corpus import CASES  # noqa: E402
from tests.support.warehouse import land_and_load  # noqa: E402
from xxgk.extract.worker import shared_guard  # noqa: E402

MAX_SECONDS = 300  # one slow file costs its cap (XXGK_EXTRACT_TIMEOUT_S), not hours
# a 300 MB bomb is never inflated; the corpus's images are read by OCR, whose models
# (onnxruntime) take the worker to ~1.3–1.6 GB, under its 2 GB per-file cap
MAX_PEAK_RSS_MB = 2000
TIMEOUT_S = 10  # per file: what the slow case costs; the machine is quiet when measuring


def _load(inbox: Path, data: Path) -> dict[str, Any]:
    _, summary = land_and_load(inbox, data)
    shared_guard().close()
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "files_landed": summary.files_landed,
        "by_status": dict(summary.by_status),
        "peak_rss_mb": round(peak_kb / 1024),
    }


def measure(work: Path, names: set[str] | None) -> dict[str, Any]:
    inbox = work / "inbox"
    inbox.mkdir(parents=True)
    cases = [c for c in CASES if names is None or c.name in names]
    for case in cases:
        case.write(inbox / case.name)
    os.environ["XXGK_EXTRACT_TIMEOUT_S"] = str(TIMEOUT_S)
    started = time.monotonic()
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        figures = pool.submit(_load, inbox, work / "data").result()
    return {"files": len(cases), "seconds": round(time.monotonic() - started, 1), **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated case names (default: every case)")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    names = set(args.cases.split(",")) if args.cases else None
    unknown = (names or set()) - {c.name for c in CASES}
    if unknown:
        parser.error(f"no such case: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        figures = measure(Path(tmp), names)
    over = [
        name
        for name, value, bound in (
            ("seconds", figures["seconds"], MAX_SECONDS),
            ("peak_rss_mb", figures["peak_rss_mb"], MAX_PEAK_RSS_MB),
        )
        if value > bound
    ]
    figures["over_bounds"] = over
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(
            f"corpus load: {figures['files']} files in {figures['seconds']} s, "
            f"peak RSS {figures['peak_rss_mb']} MB; by status {figures['by_status']}"
            + (f"; OVER BOUND: {', '.join(over)}" if over else "")
        )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
