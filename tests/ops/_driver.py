"""The load's steps in one process: the subprocess the kill test kills.

    python -m tests.ops._driver INBOX WAREHOUSE BATCH_SIZE

Prints and flushes one line per step (``planned N``, ``extracted I``, ``loaded``,
``built``), so a test can kill the process at a known point.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.support.pipeline_steps import run_steps


def main(argv: list[str]) -> int:
    run_steps(
        Path(argv[0]), Path(argv[1]), int(argv[2]), progress=lambda line: print(line, flush=True)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
