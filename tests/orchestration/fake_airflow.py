"""Stand-in for ``airflow dags test``: replays a recorded run's output, then exits.

``XXGK_FAKE_LOG`` names the recorded output, ``XXGK_FAKE_EXIT`` the exit code (default 0).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

for line in Path(os.environ["XXGK_FAKE_LOG"]).read_text(encoding="utf-8").splitlines():
    sys.stdout.write(line + "\n")
    if "[DAG TEST]" in line:
        time.sleep(0.01)  # task starts/ends arrive over time, as in a real run
sys.exit(int(os.environ.get("XXGK_FAKE_EXIT", "0")))
