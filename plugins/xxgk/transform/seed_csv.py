"""The one CSV writer of every generated dbt seed: NULL as an empty field, booleans as
true/false, floats without a trailing .0 (15 significant digits, so amounts survive)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence


def seed_field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


def to_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """CSV text: a header, then one line per row in ``columns`` order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([seed_field(row[c]) for c in columns])
    return out.getvalue()
