"""
### xxgk_crawl_sites — government sites' 年报 columns crawled into the inbox

Walks each start URL (a column's list page, e.g. `http://www.example.gov.cn/col/col1229/
index.html`) with `xxgk crawl`: its pagination, report pages and attachments on the same
host, obeying robots.txt and a per-host delay, into `inbox/<year>/web/<sha256>.<ext>`, with
the crawl manifest in `inbox/.crawl/manifest.jsonl` (URL, anchor text, title, breadcrumb,
dead links and refusals). One mapped task per site; a site's retries re-run only what it has
not fetched yet (the crawl resumes), and re-crawls download only what changed (conditional
GET).

**Schedule**: yearly on 1 April 04:00 UTC, two hours before `xxgk_annual_load`.

**Params**: `start_urls` (default from `XXGK_START_URLS`, URLs separated by blanks),
`inbox` (`XXGK_INBOX`, else `data/inbox`), `max_pages` per site (a link trap ends there),
`delay` (seconds between two requests to one host), `since` (skip reports naming an
earlier year). The inbox must lie under one of the folders of `XXGK_ALLOWED_ROOTS` (default:
the folders of `XXGK_WAREHOUSE` and `XXGK_INBOX`); any other path fails the run, saying so.

**Outputs (Assets)**: `crawled_reports`: the yearly load is scheduled on it as well as on
its date, so a crawl is followed by a load of the inbox. See docs/operations.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from xxgk.orchestration.names import CRAWL_DAG_ID, CRAWL_SITES_AT_ONCE

try:
    from _assets import CRAWLED_REPORTS
except ModuleNotFoundError:  # a bare DagBag (tests) does not put the dags folder on sys.path
    sys.path.append(str(Path(__file__).resolve().parent))
    from _assets import CRAWLED_REPORTS


def _inbox(value: str) -> Path:
    """The ``inbox`` param, resolved, if under ``XXGK_ALLOWED_ROOTS``."""
    from airflow.sdk.exceptions import AirflowFailException

    from xxgk.core.allowed_roots import PathNotAllowed, confine

    try:
        return confine(value, "inbox")
    except PathNotAllowed as exc:  # no retries: the same params would be refused again
        raise AirflowFailException(str(exc)) from None


@dag(
    dag_id=CRAWL_DAG_ID,
    schedule="0 4 1 4 *",  # yearly, before the load of 06:00
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["landing"],
    default_args={"retries": 2, "retry_delay": pendulum.duration(minutes=5)},
    params={
        "start_urls": Param(
            os.getenv("XXGK_START_URLS", "").split(),
            type="array",
            items={"type": "string"},
            description="List pages of 年报 columns",
        ),
        "inbox": Param(os.getenv("XXGK_INBOX", "data/inbox"), type="string"),
        "max_pages": Param(500, type="integer", minimum=1, description="URLs per site"),
        "delay": Param(1.0, type="number", minimum=0, description="Seconds between requests"),
        "since": Param(None, type=["null", "integer"], description="Skip earlier years"),
    },
    doc_md=__doc__,
)
def xxgk_crawl_sites() -> None:
    @task
    def sites() -> list[str]:
        from xxgk.orchestration.pipeline import start_urls_of

        return start_urls_of(get_current_context()["params"]["start_urls"])

    @task(outlets=[CRAWLED_REPORTS], max_active_tis_per_dag=CRAWL_SITES_AT_ONCE)
    def crawl(start_url: str) -> dict[str, Any]:
        from xxgk.orchestration.pipeline import crawl_step

        p = get_current_context()["params"]
        return crawl_step(
            start_url, _inbox(p["inbox"]), int(p["max_pages"]), float(p["delay"]), p.get("since")
        )

    crawl.expand(start_url=sites())


xxgk_crawl_sites()
