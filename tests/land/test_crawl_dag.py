"""The crawl DAG (``airflow dags test xxgk_crawl_sites``) on the generated site: one mapped
crawl per start URL, the reports in the inbox, the manifest written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.crawl_site import Site, serve
from xxgk.land.crawl import read_manifest
from xxgk.orchestration.airflow_local import _airflow_command, ensure_airflow
from xxgk.orchestration.names import CRAWL_DAG_ID

pytestmark = pytest.mark.integration
FAST_ENV = {
    "XXGK_FETCH_TIMEOUT_S": "2",
    "XXGK_FETCH_RETRIES": "1",
    "XXGK_FETCH_BACKOFF_S": "0.01",
    "XXGK_FETCH_USE_ENV_PROXY": "0",
}


def test_the_crawl_dag_crawls_each_site_into_the_inbox(tmp_path: Path) -> None:
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    env = {**ensure_airflow(data), **FAST_ENV, "XXGK_ALLOWED_ROOTS": str(tmp_path)}
    with serve(Site()) as site:
        starts = [site.base + "/col/nj/index.html", site.base + "/col/nj/index_1.html"]
        conf = {"start_urls": starts, "inbox": str(inbox), "max_pages": 15, "delay": 0}
        run = subprocess.run(
            _airflow_command(["dags", "test", CRAWL_DAG_ID, "--conf", json.dumps(conf)]),
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    runs = [r["start_urls"] for r in read_manifest(inbox) if r.get("event") == "start"]
    assert sorted(runs) == sorted([[u] for u in starts])  # one crawl per site
    assert len({p.name for p in inbox.glob("*/web/*")}) == 6
