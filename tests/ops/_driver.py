"""The load's steps in one process, in the DAG's order: the subprocess the kill test kills.

    python -m tests.ops._driver INBOX WAREHOUSE BATCH_SIZE

Prints one line per step (``planned N``, ``extracted I``, ``loaded …``, ``built …``) and
flushes it, so a test can kill the process at a known point.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from xxgk.pipeline import dbt_build_step, extract_step, land_step, load_step, plan_step


def main(argv: list[str]) -> int:
    inbox, warehouse, batch_size = Path(argv[0]), Path(argv[1]), int(argv[2])
    landing = land_step(inbox, warehouse, None)
    batch_files = plan_step(landing["manifest"], batch_size)
    print(f"planned {len(batch_files)}", flush=True)
    results = []
    for i, batch_file in enumerate(batch_files):
        results.append(extract_step(batch_file, warehouse))
        print(f"extracted {i}", flush=True)
    loaded = load_step(warehouse, landing["manifest"], results)
    print("loaded", json.dumps(loaded), flush=True)
    built = dbt_build_step(warehouse, loaded)
    print("built", json.dumps(built), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
