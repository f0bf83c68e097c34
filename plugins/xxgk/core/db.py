"""The memory bound every pipeline connection to DuckDB sets, and the sandbox of the
connections that run people's SQL."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import duckdb

from xxgk.core.limits import is_memory_size

# Set when the database starts: no extension is fetched or loaded behind a query's back, and
# a query cannot scan the Python objects of the process that runs it.
_SANDBOX_CONFIG: Final[dict[str, str | bool | int | float | list[str]]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "python_enable_replacements": False,
}

# Run on every sandboxed connection once it is open: no file or network access besides the
# database itself, then the configuration locked so no statement can lift that.
_SANDBOX_LOCK: Final = ("set enable_external_access = false", "set lock_configuration = true")


def limit_memory(con: duckdb.DuckDBPyConnection, limit: str) -> str:
    """Bound DuckDB's memory on an open connection to ``limit`` (a setting of
    :class:`xxgk.core.limits.Limits`, such as ``Limits.from_env().load_memory_limit``).

    DuckDB's own default is 80 % of the machine's RAM; beyond the limit large scans, joins
    and writes spill to disk. Set on the connection rather than as connect() config: a
    process that already holds the file open (tests, a notebook) refuses a second
    connection with another config. Rows need not keep their insertion order either (every
    order that matters is an explicit ``order by``), which lets them stream.

    Returns:
        The limit set.

    Raises:
        ValueError: ``limit`` is not a size such as 1GB or 512MiB.
    """
    if not is_memory_size(limit):
        raise ValueError(f"memory limit {limit!r}: expected a size such as 1GB or 512MiB")
    con.execute(f"set memory_limit = '{limit}'")
    con.execute("set preserve_insertion_order = false")
    return limit


WAREHOUSE_SCHEMAS: Final = frozenset(
    {"raw", "staging", "intermediate", "quality", "review", "main", "seeds"}
)
"""The schemas of a warehouse: ``raw`` (the load) and dbt's (dbt_project.yml). A load refuses
a warehouse file named like one of them (``raw.duckdb``), which DuckDB would make ambiguous
with the schema in the load's and dbt's own SQL."""

WAREHOUSE_CATALOG: Final = "warehouse"
"""The name people's SQL sees the warehouse under, whatever its file is called: DuckDB names
a database after its file, so ``seeds.duckdb`` or ``raw.duckdb`` would make ``seeds.…`` or
``raw.…`` ambiguous between the file and the schema of that name."""


def connect_sandboxed(path: Path, writable: Sequence[Path] = ()) -> duckdb.DuckDBPyConnection:
    """Open ``path`` read-only for SQL a person typed: no file, network or extension access
    besides the database itself (``COPY … TO``, ``EXPORT DATABASE``, ``ATTACH``,
    ``read_text``, ``INSTALL`` are refused), and the configuration locked so no statement
    can lift that. ``writable`` folders are the only exception (an export's target).

    The file is attached read-only as ``warehouse`` (:data:`WAREHOUSE_CATALOG`), the
    default catalog, to an in-memory database that holds nothing else.

    Raises:
        duckdb.Error: the file cannot be opened as a DuckDB database.
    """
    con = duckdb.connect(":memory:", config=_SANDBOX_CONFIG)
    try:
        con.execute(f"attach '{_quote(str(path))}' as {WAREHOUSE_CATALOG} (read_only)")
        con.execute(f"use {WAREHOUSE_CATALOG}")
        if writable:  # settable only before external access is off
            dirs = ", ".join("'" + _quote(str(d.resolve()) + os.sep) + "'" for d in writable)
            con.execute(f"set allowed_directories = [{dirs}]")
        for statement in _SANDBOX_LOCK:
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    return con


def _quote(text: str) -> str:
    return text.replace("'", "''")
