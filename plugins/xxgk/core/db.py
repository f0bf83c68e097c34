"""The memory bound every pipeline connection to DuckDB sets."""

from __future__ import annotations

import os
import re

import duckdb

_MEMORY_SIZE = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.IGNORECASE)


def limit_memory(con: duckdb.DuckDBPyConnection, env: str, default: str) -> str:
    """Bound DuckDB's memory on an open connection to the size in ``env`` (else ``default``).

    DuckDB's own default is 80 % of the machine's RAM; beyond the limit large scans, joins
    and writes spill to disk. Set on the connection rather than as connect() config: a
    process that already holds the file open (tests, a notebook) refuses a second
    connection with another config. Rows need not keep their insertion order either (every
    order that matters is an explicit ``order by``), which lets them stream.

    Returns:
        The limit set.

    Raises:
        ValueError: the variable is not a size such as 1GB or 512MiB.
    """
    limit = os.getenv(env, default).strip()
    if not _MEMORY_SIZE.fullmatch(limit):
        raise ValueError(f"{env}={limit!r}: expected a size such as 1GB or 512MiB")
    con.execute(f"set memory_limit = '{limit}'")
    con.execute("set preserve_insertion_order = false")
    return limit
