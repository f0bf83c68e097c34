"""Extraction speed: text/HTML reports per second per core (prints figures; never a test).

Generates (once, cached under ``--work``) a synthetic corpus with ``xxgk.synthetic.corpus``,
reads the files into memory, warms one process up on the first ``--warm`` reports, then extracts
each of the next ``--n`` reports exactly once (a report seen again would hit the extractor's
caches and flatter the figure). Speed is reports per CPU second of this process
(``time.process_time``), so other work on the machine slows it less than wall time; on a
busy machine it still reads low. Also printed: the seed reports and the bundled samples,
and the split by container (text / HTML) and table format.

    .venv/bin/python bench/extract_speed.py                 # 2,000 corpus reports
    .venv/bin/python bench/extract_speed.py --n 5000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))

from xxgk.extract import EXTRACTOR_VERSION, extract_bytes  # noqa: E402
from xxgk.synthetic.corpus import CorpusSpec, read_truth, write_corpus  # noqa: E402

SHARED = REPO.parent / "shared"


def _rate(payloads: list[tuple[bytes, str]]) -> tuple[float, dict[str, list[float]]]:
    """Reports per CPU second over ``payloads`` (each once), and CPU seconds per group."""
    by_group: dict[str, list[float]] = defaultdict(list)
    start = time.process_time()
    for data, name in payloads:
        t = time.process_time()
        record = extract_bytes(data, name)
        by_group[f"{record['container']}/{record['format']}"].append(time.process_time() - t)
    return len(payloads) / (time.process_time() - start), by_group


def _files(paths: list[Path]) -> list[tuple[bytes, str]]:
    return [(p.read_bytes(), p.name) for p in paths if p.is_file()]


def _print(out: dict[str, Any]) -> None:
    print(
        f"corpus: {out['corpus_reports']} reports, {out['corpus_avg_kb']} KB average, "
        f"{out['corpus_reports_per_cpu_second']} reports/s per core"
    )
    for key, fig in out["by_container_format"].items():
        print(f"  {key:18s} {fig['reports']:5d} reports  {fig['reports_per_cpu_second']:5d}/s")
    for label in ("seeds", "samples"):
        if f"{label}_reports_per_cpu_second" in out:
            print(
                f"{label}: {out[f'{label}_reports_per_cpu_second']} reports/s per core "
                "(repeated: warm caches)"
            )
    print(f"load average: {out['load_average']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="corpus reports measured")
    ap.add_argument("--warm", type=int, default=300, help="reports extracted before measuring")
    ap.add_argument("--seed", type=int, default=20250401)
    ap.add_argument("--work", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    root = args.work / f"corpus-{args.warm + args.n}-{args.seed}"
    if not (root / "truth.jsonl").exists():
        write_corpus(root, CorpusSpec(args.warm + args.n, args.seed))
    files = _files([root / "inbox" / t["file"] for t in read_truth(root / "truth.jsonl")])
    for data, name in files[: args.warm]:
        extract_bytes(data, name)
    measured = files[args.warm :]
    rate, groups = _rate(measured)
    out: dict[str, Any] = {
        "extractor": EXTRACTOR_VERSION,
        "corpus_reports": len(measured),
        "corpus_avg_kb": round(sum(len(d) for d, _ in measured) / len(measured) / 1024, 1),
        "corpus_reports_per_cpu_second": round(rate),
        "by_container_format": {
            k: {"reports": len(v), "reports_per_cpu_second": round(len(v) / sum(v))}
            for k, v in sorted(groups.items())
        },
        "load_average": os.getloadavg(),
    }
    for label, folder in (("seeds", SHARED / "seeds"), ("samples", REPO / "samples" / "inbox")):
        payloads = _files(sorted(folder.rglob("*"))) if folder.is_dir() else []
        if payloads:  # small sets: repeated, so these figures include warm caches
            start = time.process_time()
            for _ in range(20):
                for data, name in payloads:
                    extract_bytes(data, name)
            out[f"{label}_reports_per_cpu_second"] = round(
                20 * len(payloads) / (time.process_time() - start)
            )
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
