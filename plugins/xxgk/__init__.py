"""xxgk: 政府信息公开 annual-report warehouse, as stage packages in flow order.

A package imports only the packages above it in this list (``tests/test_layers.py``
enforces it):

- ``core``: types, exceptions, quarantine reasons, limits, the data-dir layout, text
  normalisation, the raw tables' columns, memos, the DuckDB memory bound, the reviewers'
  decision log (``decisions``).
- ``dictionary``: the metric dictionary (``data/metrics.yaml``): formats, labels, rules,
  conformed measures, English names, administrative divisions.
- ``land``: inbox files and fetched URLs → the content-addressed raw store (no parsing).
- ``decode``: bytes → text lines, one module per container (HTML, PDF, DOCX, legacy Office).
- ``extract``: lines → the contract record (screen, format, tables, values, metadata,
  narrative), and extraction batches → Parquet.
- ``load``: Parquet → the DuckDB ``raw`` schema (the only writer).
- ``transform``: dbt (the runner and every generated seed).
- ``quality``: Great Expectations suites and validation.
- ``publish``: the reviewer site, the review loop (``review``: items, decisions, the local
  app), exports and the read-only views behind the CLI.
- ``orchestration``: the step functions the DAG calls, the local Airflow runner, the CLI,
  and ``names`` (DAG id, steps, pool, defaults) which the DAG file imports.
- ``synthetic``: the demo samples and the synthetic corpus (imported by nothing above).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas

__all__ = ["connect", "frame"]


def connect(warehouse: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """The warehouse for a notebook or script: a DuckDB connection, read-only and sandboxed
    as ``xxgk sql`` is (no other file, no network, no extension, configuration locked), with
    the warehouse as catalog ``warehouse``. Close it (or use ``with``) so a load can write.

    >>> import xxgk
    >>> con = xxgk.connect("data/warehouse.duckdb")
    >>> df = con.sql("select * from main.fct_agency_year_measures").df()  # pandas

    Raises:
        FileNotFoundError: there is no warehouse at that path (run ``xxgk load`` first).
        duckdb.Error: the file is not a DuckDB database, or a load is writing it.
    """
    from pathlib import Path

    from xxgk.core.db import connect_sandboxed

    path = Path(warehouse)
    if not path.is_file():
        raise FileNotFoundError(f"no warehouse at {path}: run `xxgk load` first")
    return connect_sandboxed(path)


def frame(con: duckdb.DuckDBPyConnection, sql: str) -> pandas.DataFrame:
    """The result of ``sql`` as a pandas DataFrame that keeps NULL apart from 0: counts stay
    integers and a value not reported is ``<NA>`` (DuckDB's own ``.df()`` turns a column of
    counts with one NULL into floats with NaN)."""
    import pandas as pd

    return con.sql(sql).arrow().read_all().to_pandas(types_mapper=pd.ArrowDtype)
