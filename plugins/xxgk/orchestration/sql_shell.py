"""``xxgk sql`` without a query: the real DuckDB shell on the warehouse, sandboxed.

The shell's ``.tables`` lists every schema (raw, staging, intermediate, seeds, quality,
review beside the marts), and it cannot be told otherwise: DuckDB 1.5's ``.tables`` reads
``duckdb_columns()`` with only its own LIKE pattern as a filter, and neither ``USE`` nor
``search_path`` changes what it lists (tried on the locked duckdb-cli). The one way to list
the marts is its pattern, ``.tables main.%``; an interactive shell says so first, in one
line printed by a ``-cmd .print`` (no init file: safe mode stays as it is).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

import click

from xxgk.core.db import WAREHOUSE_CATALOG

MARTS_PATTERN: Final = "main.%"
"""``.tables main.%``: the marts (the analyst's schema) only."""
HINT: Final = (
    f"xxgk sql: the warehouse, read-only. The marts: .tables {MARTS_PATTERN}   "
    "every schema: .tables   what a table and its columns hold: xxgk schema [TABLE]"
)
_PLAIN: Final = (".highlight off", ".highlight_results off", ".highlight_errors off")


def shell_command(binary: Path, *, interactive: bool, colour: bool) -> list[str]:
    """The shell's arguments before the database: safe, read-only, no init file; plain text
    when the output is not a terminal; the hint on ``.tables`` when a person types."""
    command = [str(binary), "-safe", "-readonly", "-no-init"]
    if not colour:  # piped or redirected: plain text, no colour codes
        for setting in _PLAIN:
            command += ["-cmd", setting]
    if interactive:  # a script's output stays the query results only
        command += ["-cmd", f'.print "{HINT}"']
    return command


def duckdb_shell(warehouse: Path) -> None:
    """The DuckDB shell (PyPI duckdb-cli, the locked duckdb's version) on the warehouse in
    its safe mode and read-only; its exit status is ours.

    Safe mode is what closes the shell itself: it refuses every dot-command that opens,
    reads, writes or runs anything (``.open``, ``.shell``/``.system``/``.sh``, ``.once``,
    ``.output``, ``.excel``, ``.read``, ``.import``, ``.cd``, ``.log``), and it turns off
    file and network access and locks the configuration before the first statement, as
    ``xxgk.core.db.connect_sandboxed`` does for the Python connections. The binary is run
    directly: the package's ``python -m duckdb_cli`` wrapper sets an extension directory
    first, which a locked configuration refuses. No init file is read (it could run
    anything before the lock).
    """
    if not warehouse.exists():
        raise click.ClickException(f"no warehouse at {warehouse}: run `xxgk load` first")
    command = shell_command(
        duckdb_binary(),
        interactive=sys.stdin.isatty() and sys.stdout.isatty(),
        colour=sys.stdout.isatty(),
    )
    # the shell names the database after the file it opens, and safe mode forbids ATTACH:
    # open it through a link named like the views' catalog, so `seeds.duckdb` cannot make
    # `seeds.…` ambiguous (the write-ahead log, if any, is linked beside it)
    with tempfile.TemporaryDirectory(prefix="xxgk-sql-") as tmp:
        link = Path(tmp) / f"{WAREHOUSE_CATALOG}.duckdb"
        link.symlink_to(warehouse.resolve())
        wal = warehouse.resolve().with_name(warehouse.name + ".wal")
        if wal.exists():
            link.with_name(link.name + ".wal").symlink_to(wal)
        status = subprocess.call([*command, str(link)])
    raise SystemExit(status)


def duckdb_binary() -> Path:
    """The DuckDB CLI executable the duckdb-cli wheel ships beside its package."""
    import duckdb_cli

    binary = Path(duckdb_cli.__file__).parent / ("duckdb.exe" if os.name == "nt" else "duckdb")
    if not binary.is_file():
        raise click.ClickException(f"the DuckDB shell is missing ({binary}): run `make setup`")
    return binary
