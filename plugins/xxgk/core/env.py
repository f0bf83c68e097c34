"""The ``XXGK_*`` environment variables that say where things are, and their defaults.

Defined once: the DAG files, the CLI, the local Airflow runner and the stages read them
through here. The caps and settings of one file's processing (``XXGK_MAX_BYTES``, memory
limits, OCR threads, …) are :class:`xxgk.core.limits.Limits`'; the crawler's HTTP knobs
(``XXGK_FETCH_*``) are ``xxgk.land.fetch.FetchSettings``'. Dependency-free: a DAG file
imports it at parse time.
"""

from __future__ import annotations

import os
from typing import Final

from xxgk.core.paths import DEFAULT_DATA_DIR, INBOX_DIR, WAREHOUSE_FILE

WAREHOUSE: Final = "XXGK_WAREHOUSE"
"""The DuckDB warehouse file; its folder is the data directory."""
INBOX: Final = "XXGK_INBOX"
"""The folder of report files to load (``inbox/<year>/…``)."""
START_URLS: Final = "XXGK_START_URLS"
"""The crawl DAG's start URLs (separated by blanks)."""
DBT_PROJECT_DIR: Final = "XXGK_DBT_PROJECT_DIR"
"""The dbt project to run (default: the checkout's ``dbt_project/``)."""
GX_ROOT: Final = "XXGK_GX_ROOT"
"""The folder holding the committed Great Expectations project (default: ``expectations/``)."""
DAGS_FOLDER: Final = "XXGK_DAGS_FOLDER"
"""The DAG files the local Airflow home runs (default: the checkout's ``dags/``)."""
SOFFICE: Final = "XXGK_SOFFICE"
"""The LibreOffice binary (default: ``soffice`` or ``libreoffice`` on PATH)."""

DEFAULT_WAREHOUSE: Final = (DEFAULT_DATA_DIR / WAREHOUSE_FILE).as_posix()
"""``data/warehouse.duckdb``, relative to the working directory."""
DEFAULT_INBOX: Final = (DEFAULT_DATA_DIR / INBOX_DIR).as_posix()
"""``data/inbox``, relative to the working directory."""


def warehouse() -> str:
    """``$XXGK_WAREHOUSE``, else ``data/warehouse.duckdb``."""
    return os.getenv(WAREHOUSE, DEFAULT_WAREHOUSE)


def inbox() -> str:
    """``$XXGK_INBOX``, else ``data/inbox``."""
    return os.getenv(INBOX, DEFAULT_INBOX)


def start_urls() -> list[str]:
    """``$XXGK_START_URLS`` split on blanks (none when unset)."""
    return os.getenv(START_URLS, "").split()
