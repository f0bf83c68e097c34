"""Assets the xxgk DAGs produce, defined once so producers and consumers agree on them.

A downstream DAG follows a load with ``schedule=[WAREHOUSE]`` (or ``[QUALITY_REPORT]``).
"""

from __future__ import annotations

from airflow.sdk import Asset

# Report pages and attachments `xxgk crawl` put into the inbox, updated by xxgk_crawl_sites.
CRAWLED_REPORTS = Asset(name="crawled_reports", uri="xxgk://crawled-reports", group="xxgk")
# Landed report files: the content-addressed raw store (<data dir>/raw/), updated by `land`.
RAW_DOCS = Asset(name="raw_documents", uri="xxgk://raw-documents", group="xxgk")
# The DuckDB warehouse with its dbt marts, updated by `dbt_build`.
WAREHOUSE = Asset(name="warehouse", uri="xxgk://warehouse", group="xxgk")
# Rule findings and Data Docs (<data dir>/quality/), updated by `validate`.
QUALITY_REPORT = Asset(name="quality_report", uri="xxgk://quality-report", group="xxgk")
