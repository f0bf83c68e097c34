"""
### xxgk_annual_load — the yearly load of disclosure annual reports

Lands every report file of the inbox into the content-addressed raw store, extracts the
statistical tables in batches (Parquet), loads the DuckDB warehouse (one writer), builds
the star schema with dbt and validates it with Great Expectations (Data Docs under
`<data dir>/quality/gx_docs/`).

**Params**: `year` (only `inbox/<year>/…`; empty = every year found), `inbox`, `warehouse`
(defaults from `XXGK_INBOX` / `XXGK_WAREHOUSE`, then `data/inbox`, `data/warehouse.duckdb`),
`batch_size` (reports per mapped extraction task).

**Rerun / backfill**: re-running with the same files changes nothing; trigger once per
year for a backfill (`xxgk load --year 2016`, or `airflow dags test xxgk_annual_load -c
'{"year": 2016}'`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

WAREHOUSE_POOL = "xxgk_warehouse"  # one slot: DuckDB allows a single writer


def _params() -> dict[str, Any]:
    return dict(get_current_context()["params"])


def _year(params: dict[str, Any]) -> int | None:
    return int(params["year"]) if params.get("year") not in (None, "") else None


@dag(
    schedule="0 6 1 4 *",  # yearly, after the 31 March publication deadline
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["landing", "extraction", "transform", "validation"],
    default_args={"retries": 2, "retry_delay": pendulum.duration(seconds=10)},
    params={
        "year": Param(None, type=["null", "integer"], description="Report year to load"),
        "inbox": Param(os.getenv("XXGK_INBOX", "data/inbox"), type="string"),
        "warehouse": Param(os.getenv("XXGK_WAREHOUSE", "data/warehouse.duckdb"), type="string"),
        "batch_size": Param(200, type="integer", minimum=1),
    },
    doc_md=__doc__,
)
def xxgk_annual_load() -> None:
    @task
    def land() -> dict[str, Any]:
        from xxgk.pipeline import land_step

        p = _params()
        return land_step(Path(p["inbox"]), Path(p["warehouse"]), _year(p))

    @task
    def plan_batches(landing: dict[str, Any]) -> list[str]:
        from xxgk.pipeline import plan_step

        return plan_step(landing["manifest"], int(_params()["batch_size"]))

    @task
    def extract(batch_file: str) -> dict[str, Any]:
        from xxgk.pipeline import extract_step

        return extract_step(batch_file, Path(_params()["warehouse"]))

    @task(pool=WAREHOUSE_POOL)
    def load(landing: dict[str, Any], batches: list[dict[str, Any]]) -> dict[str, Any]:
        from xxgk.pipeline import load_step

        return load_step(Path(_params()["warehouse"]), landing["manifest"], list(batches))

    @task(pool=WAREHOUSE_POOL)
    def dbt_build(loaded: dict[str, Any]) -> dict[str, Any]:
        from xxgk.transform import run_dbt_build

        result = run_dbt_build(Path(_params()["warehouse"]))
        return {"success": result.success, "run_results": str(result.run_results_path)}

    @task
    def validate(built: dict[str, Any]) -> dict[str, Any]:
        from xxgk.pipeline import data_dir_of
        from xxgk.validate import validate_warehouse

        warehouse = Path(_params()["warehouse"])
        return validate_warehouse(warehouse, data_dir_of(warehouse)).as_dict()

    @task
    def summarize(loaded: dict[str, Any], quality: dict[str, Any]) -> dict[str, Any]:
        from xxgk.pipeline import summary_step

        return summary_step(Path(_params()["warehouse"]), loaded, quality)

    landing = land()
    extracted = extract.expand(batch_file=plan_batches(landing))
    loaded = load(landing, extracted)
    summarize(loaded, validate(dbt_build(loaded)))


xxgk_annual_load()
