"""The distributed path for real: the yearly DAG on a Celery cluster with a worker killed.

Airflow runs as it would be deployed (docker-compose.yml): Postgres metadata DB,
CeleryExecutor on Redis, api-server, scheduler, dag-processor, triggerer and two Celery
workers. The DAG is triggered and polled through the REST API; one worker is killed (its
whole process group) while it extracts, and the run must still succeed (retries) and leave
the same warehouse as the single-process run of the same files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.airflow_procs import (
    Cluster,
    exclusive_backends,
    start_cluster,
    unavailable_reason,
)
from tests.support.checksums import warehouse_checksums
from tests.support.pipeline_steps import forget_all_but_raw, run_steps
from xxgk.synthetic.corpus import CorpusSpec, write_corpus

pytestmark = [pytest.mark.integration, pytest.mark.celery]

REPORTS, BATCH = 320, 40  # 8 extraction tasks over 2 workers × 2 slots


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"the Celery cluster test needs PostgreSQL and Redis: {reason}")
    with exclusive_backends() as free:
        if not free:
            pytest.skip("another test session kept the cluster's Postgres DB / Redis DB busy")
        home = tmp_path_factory.mktemp("airflow-celery")
        started = start_cluster(home, ["worker_a", "worker_b"])
        try:
            yield started
        finally:
            started.stop_all()


def _wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(0.5)


def _extracting_on(cluster: Cluster, run_id: str, worker: str) -> bool:
    return any(
        ti["task_id"] == "extract" and ti["state"] == "running" and ti["hostname"] == worker
        for ti in cluster.task_instances(run_id)
    )


def _brief(tis: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(
        (ti["task_id"], ti["map_index"], ti["state"], ti["try_number"], ti["hostname"])
        for ti in tis
    )


def test_the_dag_survives_a_killed_worker_and_matches_the_single_process_run(
    cluster: Cluster, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus", CorpusSpec(REPORTS, seed=4242))
    data = tmp_path / "data"
    warehouse = data / "warehouse.duckdb"
    run_id = cluster.trigger(
        {
            "inbox": str(corpus.inbox),
            "warehouse": str(warehouse),
            "batch_size": BATCH,
            "year": None,
            "years": None,
        }
    )

    _wait_until(
        lambda: _extracting_on(cluster, run_id, "worker_a"),
        120,
        "an extraction task running on worker_a",
    )
    cluster.kill("worker_a")
    state = cluster.wait_for_run(run_id, timeout=180)
    tis = cluster.task_instances(run_id)
    assert state == "success", _brief(tis)
    extract = [ti for ti in tis if ti["task_id"] == "extract"]
    assert len(extract) == REPORTS // BATCH
    assert any(ti["try_number"] > 1 for ti in extract), "the killed worker's task was retried"
    assert all(ti["hostname"] == "worker_b" for ti in extract if ti["try_number"] > 1)
    assert {ti["task_id"] for ti in tis if ti["state"] == "success"} == {
        "land",
        "plan_batches",
        "extract",
        "load",
        "dbt_build",
        "validate",
        "summarize",
    }
    distributed = warehouse_checksums(warehouse)

    forget_all_but_raw(data)
    run_steps(corpus.inbox, warehouse, BATCH)
    assert warehouse_checksums(warehouse) == distributed
