"""
### xxgk_annual_load — the yearly load of disclosure annual reports

Lands every report file of the inbox into the content-addressed raw store, extracts the
statistical tables in batches (Parquet, one mapped task per batch), loads the DuckDB
warehouse (one writer), builds the star schema with dbt and validates it with Great
Expectations (Data Docs under `<data dir>/quality/gx_docs/`).

**Schedule**: yearly on 1 April 06:00 UTC, after the 31 March publication deadline; a
scheduled (or backfill) run loads the reports of the year before its logical date. Also
after each `xxgk_crawl_sites` run (Asset `crawled_reports`): such a run loads every year of
the inbox, the crawled reports with their URL, anchor text and breadcrumb.

**Inbox**: `inbox/<report year>/…` with any nesting below the year folder (e.g.
`inbox/2024/zhejiang/taizhou/report.html`). A run of some years loads only their folders;
files outside a year folder are loaded by a run of every year (a manual run without `year`
or `years`, or a run after a crawl). Hidden files are ignored.

**Nothing to load**: a run whose years have no file (e.g. the yearly run Airflow schedules
when the DAG is unpaused for a backfill, before that year's reports are in) fails at `land`
with `nothing to load: no report file under <inbox>/<year>`, without retries, and loads
nothing: the same line `xxgk load` exits with (code 3). Failed rather than skipped, since a
skipped run shows green and a year whose reports are missing is what the run must flag; put
the files in and clear the `land` task to run it again.

**Params**: `year` (one report year), `years` (several, e.g. `[2016, 2017, 2018]`; empty =
the scheduled year, or every year of the inbox for a manual run), `inbox`, `warehouse`
(defaults from `XXGK_INBOX` / `XXGK_WAREHOUSE`, then `data/inbox`, `data/warehouse.duckdb`),
`batch_size` (reports per mapped extraction task), `full_refresh` (rebuild every mart from
scratch instead of the changed reports alone). `inbox` and `warehouse` must lie under
one of the folders of `XXGK_ALLOWED_ROOTS` (separated by `:`; default: the folders of
`XXGK_WAREHOUSE` and `XXGK_INBOX`); any other path fails the run at once, saying so.

**Outputs (Assets)**: `raw_documents` (land), `warehouse` (dbt_build), `quality_report`
(validate): downstream DAGs can use them as their schedule.

**Rerun / backfill**: re-running with the same files does almost no work (batches already
extracted are reused, unchanged reports are not reloaded, dbt and GX are skipped when their
inputs are unchanged); a changed file for the same agency-year is a new version that
supersedes the old one. dbt rebuilds only the rows of the reports added, changed or
superseded since its last build and of the same agencies' neighbour years (the marts are
incremental by report; a changed dbt project rebuilds everything); `{"full_refresh": true}`
rebuilds every row and gives the same warehouse. Backfill 2016–2020 with
`airflow backfill create --dag-id xxgk_annual_load --from-date 2017-01-01 --to-date 2021-12-31`
(one run per 1 April, each loading the year before), or in one run with
`{"years": [2016, 2017, 2018, 2019, 2020]}`. See docs/operations.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pendulum
from airflow.sdk import (
    AssetOrTimeSchedule,
    CronTriggerTimetable,
    Param,
    dag,
    get_current_context,
    task,
)

from xxgk.orchestration.names import DAG_ID, DEFAULT_BATCH_SIZE, WAREHOUSE_POOL, env

try:
    from _assets import CRAWLED_REPORTS, QUALITY_REPORT, RAW_DOCS, WAREHOUSE
except ModuleNotFoundError:  # a bare DagBag (tests) does not put the dags folder on sys.path
    sys.path.append(str(Path(__file__).resolve().parent))
    from _assets import CRAWLED_REPORTS, QUALITY_REPORT, RAW_DOCS, WAREHOUSE


def _params() -> dict[str, Any]:
    return dict(get_current_context()["params"])


def _warehouse() -> Path:
    return _path_param("warehouse")


def _path_param(name: str) -> Path:
    """The ``inbox`` or ``warehouse`` param, resolved, if under ``XXGK_ALLOWED_ROOTS``."""
    from airflow.sdk.exceptions import AirflowFailException

    from xxgk.core.allowed_roots import PathNotAllowed, confine

    try:
        return confine(_params()[name], name)
    except PathNotAllowed as exc:  # no retries: the same params would be refused again
        raise AirflowFailException(str(exc)) from None


@dag(
    dag_id=DAG_ID,
    # yearly, after the 31 March publication deadline; and after each crawl of the sites
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 6 1 4 *", timezone="UTC"), assets=[CRAWLED_REPORTS]
    ),
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["landing", "extraction", "transform", "validation"],
    default_args={"retries": 2, "retry_delay": pendulum.duration(seconds=10)},
    params={
        "year": Param(None, type=["null", "integer"], description="Report year to load"),
        "years": Param(
            None,
            type=["null", "array"],
            items={"type": "integer"},
            description="Report years to load in one run (a backfill)",
        ),
        "inbox": Param(env.inbox(), type="string"),
        "warehouse": Param(env.warehouse(), type="string"),
        "batch_size": Param(DEFAULT_BATCH_SIZE, type="integer", minimum=1),
        "full_refresh": Param(
            False, type="boolean", description="dbt: rebuild every mart, not the changes"
        ),
    },
    doc_md=__doc__,
)
def xxgk_annual_load() -> None:
    @task(outlets=[RAW_DOCS])
    def land() -> dict[str, Any]:
        from airflow.sdk.exceptions import AirflowFailException

        from xxgk.core.exceptions import NothingToLoad
        from xxgk.orchestration.pipeline import land_step, run_years

        ctx = get_current_context()
        p = ctx["params"]
        # the DagRunType itself: its str() is 'DagRunType.BACKFILL', not the value
        years = run_years(
            p.get("year"), p.get("years"), ctx["dag_run"].run_type, ctx.get("logical_date")
        )
        try:
            return land_step(_path_param("inbox"), _warehouse(), None, years)
        except NothingToLoad as exc:  # failed, not skipped: see the docstring
            raise AirflowFailException(str(exc)) from None

    @task
    def plan_batches(landing: dict[str, Any]) -> list[str]:
        from xxgk.orchestration.pipeline import plan_step

        return plan_step(landing["manifest"], int(_params()["batch_size"]))

    @task
    def extract(batch_file: str) -> dict[str, Any]:
        from xxgk.orchestration.pipeline import extract_step

        return extract_step(batch_file, _warehouse())

    @task(pool=WAREHOUSE_POOL)
    def load(landing: dict[str, Any], batches: list[dict[str, Any]]) -> dict[str, Any]:
        from xxgk.orchestration.pipeline import load_step

        return load_step(_warehouse(), landing["manifest"], list(batches))

    @task(pool=WAREHOUSE_POOL, outlets=[WAREHOUSE])
    def dbt_build(loaded: dict[str, Any]) -> dict[str, Any]:
        from xxgk.orchestration.pipeline import dbt_build_step

        return dbt_build_step(_warehouse(), loaded, bool(_params().get("full_refresh")))

    @task(outlets=[QUALITY_REPORT])
    def validate(built: dict[str, Any]) -> dict[str, Any]:
        from xxgk.orchestration.pipeline import validate_step

        return validate_step(_warehouse(), built)

    @task
    def summarize(loaded: dict[str, Any], quality: dict[str, Any]) -> dict[str, Any]:
        from xxgk.orchestration.pipeline import summary_step

        return summary_step(_warehouse(), loaded, quality)

    landing = land()
    extracted = extract.expand(batch_file=plan_batches(landing))
    loaded = load(landing, extracted)
    summarize(loaded, validate(dbt_build(loaded)))


xxgk_annual_load()
