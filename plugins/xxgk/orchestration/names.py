"""Names and defaults of the yearly load that the DAG file, the local runner, the CLI and the
deployment share. Dependency-free: the DAG file imports it at parse time."""

from __future__ import annotations

from typing import Final

# the environment variables' names and defaults (stdlib only, like this module): re-exported
# for the DAG files, which import nothing heavier at parse time
from xxgk.core import env as env

DAG_ID: Final = "xxgk_annual_load"
STEPS: Final = ("land", "plan_batches", "extract", "load", "dbt_build", "validate", "summarize")
"""The DAG's tasks in run order; ``extract`` is mapped over batches."""
MAPPED_STEP: Final = "extract"
CRAWL_DAG_ID: Final = "xxgk_crawl_sites"
"""Crawls the sites' 年报 columns into the inbox; its Asset also triggers the yearly load."""
CRAWL_SITES_AT_ONCE: Final = 4
"""Mapped crawl tasks running together (one site each; each site is rate limited itself)."""
WAREHOUSE_POOL: Final = "xxgk_warehouse"
"""One slot: DuckDB allows a single writer (the load and dbt_build tasks share it)."""
DEFAULT_BATCH_SIZE: Final = 200
"""Reports per mapped extraction task: a few hundred, so 100k reports are a few hundred tasks."""
