"""The README's worked queries and their outputs, regenerated from a warehouse.

    .venv/bin/python -m tests.support.readme_examples [WAREHOUSE]

rewrites, in README.md's "Worked queries" section, the table under each query (an inline
``select …`` / ``with …`` code span) with what the query returns on WAREHOUSE (default
``data/warehouse.duckdb``: the demo's, after ``make demo``). The same rendering is what
tests/orchestration/test_docs_as_printed.py compares the README with, so the outputs cannot
go stale.
Values print as ``xxgk sql --format markdown`` prints them: NULL as ``NULL``, whole numbers
without ``.0``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.support.paths import REPO
from xxgk.publish.result_text import as_text
from xxgk.publish.views import QueryResult

README = REPO / "README.md"
SECTION = "### Worked queries"
_QUERY = re.compile(r"^(?P<indent> +)`(?P<sql>(?:select|with) [^`]+)`$", re.MULTILINE)


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], indent: str) -> str:
    """What ``xxgk sql --format markdown`` prints, indented to sit under the query."""
    text = as_text(QueryResult(list(columns), [tuple(r) for r in rows]), "markdown")
    return "\n".join(indent + line for line in text.splitlines())


def _section_bounds(text: str) -> tuple[int, int]:
    start = text.index(SECTION)
    end = text.find("\n## ", start)
    return start, len(text) if end < 0 else end


def worked_queries(text: str) -> list[str]:
    """The worked queries of the README, in order."""
    start, end = _section_bounds(text)
    return [m["sql"] for m in _QUERY.finditer(text, start, end)]


def regenerate(text: str, warehouse: Path) -> str:
    """``text`` (the README) with each worked query's table replaced by its real output."""
    import duckdb

    start, end = _section_bounds(text)
    section = text[start:end]
    with duckdb.connect(str(warehouse), read_only=True) as con:

        def table_for(match: re.Match[str]) -> str:
            cursor = con.execute(match["sql"])
            columns = [d[0] for d in cursor.description or ()]
            table = markdown_table(columns, cursor.fetchall(), match["indent"])
            return f"{match['indent']}`{match['sql']}`\n\n{table}\n"

        # each query line, the blank line and the table after it (if any) are rewritten
        pattern = re.compile(_QUERY.pattern + r"\n(?:\n(?: +\|.*\n)+)?", re.MULTILINE)
        section = pattern.sub(table_for, section)
    return text[:start] + section + text[end:]


def main(argv: list[str]) -> int:
    warehouse = Path(argv[0]) if argv else Path("data/warehouse.duckdb")
    README.write_text(regenerate(README.read_text(encoding="utf-8"), warehouse), encoding="utf-8")
    print(f"{README}: worked outputs regenerated from {warehouse}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
