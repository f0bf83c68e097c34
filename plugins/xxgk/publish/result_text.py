"""A query result as text another program or person reads: CSV, JSON Lines, Markdown.

The warehouse keeps counts as DOUBLE (a cell may hold 12.5 万元 beside 17 件), so a count
comes back as ``17.0``; every format here writes a whole number without ``.0``. NULL and an
empty string stay apart everywhere: ``NULL`` in Markdown, an empty unquoted field against
``""`` in CSV, ``null`` against ``""`` in JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final, Literal

from xxgk.publish.views import QueryResult

TextFormat = Literal["csv", "json", "markdown"]
TEXT_FORMATS: Final[tuple[TextFormat, ...]] = ("csv", "json", "markdown")
NULL_TEXT: Final = "NULL"


def plain(value: Any) -> Any:
    """A value as JSON holds it: whole floats as int, decimals as numbers, dates as ISO."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no inf/nan
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def shown(value: Any) -> str:
    """A value as a person reads it: ``NULL`` for NULL, ``17`` for 17.0."""
    if value is None:
        return NULL_TEXT
    value = plain(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    text = shown(value)
    if text == "" or any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _markdown_field(value: Any) -> str:
    return shown(value).replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def _lines(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: TextFormat) -> list[str]:
    if fmt == "csv":
        return [",".join(_csv_field(c) for c in columns)] + [
            ",".join(_csv_field(v) for v in row) for row in rows
        ]
    if fmt == "json":
        return [
            json.dumps({c: plain(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False)
            for row in rows
        ]
    header = "| " + " | ".join(_markdown_field(c) for c in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(_markdown_field(v) for v in row) + " |" for row in rows]
    return [header, rule, *body]


def as_text(result: QueryResult, fmt: TextFormat) -> str:
    """``result`` in ``fmt``, newline-terminated (empty for a JSON result without rows)."""
    lines = _lines(result.columns, result.rows, fmt)
    return "".join(line + "\n" for line in lines)
