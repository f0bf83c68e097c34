"""Stand-in for ``airflow dags test``: replays a recorded run's output, then exits.

``XXGK_FAKE_LOG`` names the recorded output, ``XXGK_FAKE_EXIT`` the exit code (default 0).
The lines' timestamps are moved to now, the gaps between them kept: the replay is timed as
the recorded run was (``xxgk.orchestration.progress`` times steps by the log's own clock).
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)Z")

lines = Path(os.environ["XXGK_FAKE_LOG"]).read_text(encoding="utf-8").splitlines()
first = next((m for line in lines if (m := STAMP.match(line))), None)
shift = datetime.now(UTC).replace(tzinfo=None) - datetime.fromisoformat(first[1]) if first else None


def moved(line: str) -> str:
    found = STAMP.match(line)
    if not found or shift is None:
        return line
    stamp = (datetime.fromisoformat(found[1]) + shift).isoformat(timespec="microseconds")
    return stamp + line[found.end(1) :]


for line in lines:
    sys.stdout.write(moved(line) + "\n")
    if "[DAG TEST]" in line:
        time.sleep(0.01)  # task starts/ends arrive over time, as in a real run
sys.exit(int(os.environ.get("XXGK_FAKE_EXIT", "0")))
