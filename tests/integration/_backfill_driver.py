"""Run the yearly DAG in-process as a *backfill* run (``dag.test`` with the run's type set).

    python -m tests.integration._backfill_driver INBOX WAREHOUSE LOGICAL_DATE

``dag.test`` (what ``airflow dags test`` calls) always creates a manual run; this driver makes
the same run a ``DagRunType.BACKFILL`` one before any task starts, so the tasks see the run
type exactly as a run created by ``airflow backfill create`` hands it to them (the enum from
the task runtime, not a string). dbt and GX are marked successful without running: what a
run loads is decided by ``land``, and the raw tables show it. Prints one JSON line: the run's
type as stored and the state of each task instance.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any
from unittest import mock

NOT_RUN = r"^(dbt_build|validate|summarize)$"


def main(argv: list[str]) -> int:
    import airflow.models.dagrun as dagrun_module
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.types import DagRunType

    inbox, warehouse, logical = argv
    created = dagrun_module.get_or_create_dagrun

    def as_backfill(**kwargs: Any) -> Any:
        run = created(**kwargs)
        run.run_type = DagRunType.BACKFILL_JOB  # core spelling; value "backfill"
        kwargs["session"].commit()
        return run

    dag = DagBag().get_dag("xxgk_annual_load")
    with mock.patch.object(dagrun_module, "get_or_create_dagrun", as_backfill):
        run = dag.test(
            logical_date=datetime.fromisoformat(logical),
            run_conf={"inbox": inbox, "warehouse": warehouse},
            mark_success_pattern=NOT_RUN,
        )
    print(
        json.dumps(
            {
                "run_type": str(getattr(run.run_type, "value", run.run_type)),
                "state": str(run.state),
                "tasks": {ti.task_id: str(ti.state) for ti in run.get_task_instances()},
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
