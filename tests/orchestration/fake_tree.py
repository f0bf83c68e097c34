"""Stand-in for ``airflow dags test`` / ``airflow standalone`` that starts a process tree
the way a real run does, then waits to be stopped.

- a "dbt" child that holds the warehouse's DuckDB write lock and, with
  ``XXGK_FAKE_STUBBORN`` set, ignores SIGTERM (only SIGKILL stops it, as a task in C code);
- a "worker" child that starts a session of its own (it leaves the process group) and a
  grandchild of it.

Their PIDs (and this process's) go to ``XXGK_FAKE_PIDS`` once all are running; then one
task's start lines are printed, so the load's display shows the step running (none with
``XXGK_FAKE_STARTING`` set: Airflow still starting).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HOLD_LOCK = """
import os, signal, sys, time, duckdb
if os.environ.get("XXGK_FAKE_STUBBORN"):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(600)
"""
NEW_SESSION = """
import os, subprocess, sys, time
os.setsid()
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


def main() -> None:
    warehouse = os.environ["XXGK_FAKE_WAREHOUSE"]
    dbt = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, warehouse], stdout=subprocess.PIPE, text=True
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", NEW_SESSION], stdout=subprocess.PIPE, text=True
    )
    assert dbt.stdout is not None and worker.stdout is not None
    assert dbt.stdout.readline().strip() == "locked"
    grandchild = int(worker.stdout.readline())
    pids = [os.getpid(), dbt.pid, worker.pid, grandchild]
    tmp = Path(os.environ["XXGK_FAKE_PIDS"] + ".tmp")
    tmp.write_text(" ".join(map(str, pids)))
    tmp.rename(os.environ["XXGK_FAKE_PIDS"])
    if not os.environ.get("XXGK_FAKE_STARTING"):  # else: still starting, no task yet
        print("[DAG TEST] starting task_id=dbt_build map_index=-1", flush=True)
        print("Task started [airflow.api_fastapi.execution_api.routes.task_instances]", flush=True)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a child that missed the Ctrl-C
    time.sleep(600)


if __name__ == "__main__":
    main()
