"""What the command line says when a command fails: one line saying what happened and what
to do, never a traceback (``-v`` shows it).

Known faults get their own advice: the warehouse locked by another process (DuckDB names
the holder), a damaged warehouse (how to rebuild it), a full disk, a read-only data
directory. Anything else is its type and first line.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Final

import duckdb

_HOLDER: Final = re.compile(
    r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)"
    r"(?: by user (?P<user>\S+))?"
)
_DAMAGED: Final = (
    "Corrupt database file",
    "not a valid DuckDB database file",
    "Could not read enough bytes",
)
_NO_SPACE: Final = "No space left on device"
_READ_ONLY: Final = (errno.EROFS, errno.EACCES, errno.EPERM)


class LoadRunning(RuntimeError):
    """Another ``xxgk load`` holds the data directory's load lock."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def explain(exc: BaseException, warehouse: Path | None = None) -> str:
    """One line for ``exc``: what went wrong and what to do about it."""
    if isinstance(exc, duckdb.Error):
        return _duckdb_line(exc, warehouse)
    if isinstance(exc, LoadRunning):
        return str(exc)
    if isinstance(exc, OSError):
        return _os_line(exc)
    if isinstance(exc, MemoryError):
        return "out of memory: lower the XXGK_*_MEMORY_LIMIT settings or the --batch-size"
    return f"{type(exc).__name__}: {_first_line(exc)} (run with -v for the traceback)"


def _where(warehouse: Path | None) -> str:
    return f" {warehouse}" if warehouse is not None else ""


def _duckdb_line(exc: duckdb.Error, warehouse: Path | None) -> str:
    text = _first_line(exc)
    if "Could not set lock" in text:
        found = _HOLDER.search(text)
        holder = (
            f" (held by PID {found['pid']}, {found['program']}"
            f"{' of user ' + found['user'] if found['user'] else ''})"
            if found
            else ""
        )
        return (
            f"the warehouse{_where(warehouse)} is in use by another process{holder}: "
            "wait for it to finish or close it, then run the command again"
        )
    if _NO_SPACE in text:
        return (
            f"no space left on the device of the warehouse{_where(warehouse)}: free some "
            "space and run the command again"
        )
    if any(marker in text for marker in _DAMAGED):
        return (
            f"the warehouse{_where(warehouse)} is damaged ({text}): rebuild it: move the "
            "file aside and run `xxgk load` with the same inbox again; the raw store "
            "(<data dir>/raw) and the extracted batches are reused, only the warehouse "
            "is written anew"
        )
    return text


def _os_line(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or _first_line(exc)
    if exc.errno == errno.ENOSPC:
        return (
            f"no space left on the device writing{where}: free some space and run the "
            "command again (a load resumes where it stopped)"
        )
    if exc.errno in _READ_ONLY:
        return (
            f"cannot write{where} ({reason}): the data directory must be writable; "
            "choose another one with --warehouse <dir>/warehouse.duckdb"
        )
    return f"{reason}{':' + where if where else ''}"
