"""Exports for colleagues: the marts as analyst views, in Parquet, CSV or one Excel workbook.

A fact table alone is a grid of 32-hex keys and floats. Each export is an *analyst view* of
its table instead: the names a reader looks for (agency, year, format, file name, the metric's
Chinese label and English name, the rule's or measure's title) come first, beside the keys,
which stay so rows can still be joined; rows are sorted the way a reader scans them (agency,
year, file, then the table's own order); a floating-point column whose values are all whole
numbers (counts: DuckDB sums and dbt casts make them DOUBLE) is written as integers.

Text a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) starts with a
``'`` in CSV and Excel. CSV files start with a UTF-8 byte-order mark: without it Excel reads
them as the system's code page and the Chinese turns to mojibake. Workbooks have a frozen
header row, filters on every column and column widths fitted to their content.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    import duckdb

ExportFormat = Literal["parquet", "csv", "xlsx"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("parquet", "csv", "xlsx")
EXCEL_MAX_ROWS: Final = 1_048_575  # one header row
WORKBOOK_NAME: Final = "xxgk_warehouse.xlsx"
UTF8_BOM: Final = b"\xef\xbb\xbf"
WIDTH_SAMPLE_ROWS: Final = 500  # rows read to fit an Excel column's width
MIN_WIDTH, MAX_WIDTH = 6, 60  # in Excel's character units

# (key column, join, columns it adds): joined when the table has the key and lacks the columns
_NAMES: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    (
        "report_key",
        "left join main.dim_reports as _r on t.report_key = _r.report_key",
        ("_r.agency_name", "_r.report_year", "_r.format", "_r.file_name"),
    ),
    (
        "agency_key",
        "left join main.dim_agencies as _a on t.agency_key = _a.agency_key",
        ("_a.agency_name",),
    ),
    (
        "metric_key",
        "left join main.dim_metrics as _m on t.metric_key = _m.metric_key",
        (
            "_m.label as metric_label_zh",
            "_m.english_name as metric_label_en",
            "_m.label_path as metric_label_path",
        ),
    ),
    (
        "measure_key",
        "left join main.dim_measures as _s on t.measure_key = _s.measure_key",
        ("_s.chinese_name as measure_name_zh", "_s.english_name as measure_name_en"),
    ),
    (
        "rule_key",
        "left join main.dim_rules as _u on t.rule_key = _u.rule_key",
        ("_u.title_zh as rule_title_zh", "_u.title_en as rule_title_en"),
    ),
    (
        "applicant_type_key",
        "left join main.dim_applicant_types as _p on t.applicant_type_key = _p.applicant_type_key",
        ("_p.chinese_name as applicant_type_zh", "_p.english_name as applicant_type_en"),
    ),
)
# the names a reader looks for first, in this order, when the view has them
_FRONT: Final = ("agency_name", "report_year", "format", "format_id", "file_name")
# a table's own order after agency / year / file (columns it does not have are skipped)
_ORDER: Final = (
    "agency_name",
    "report_year",
    "file_name",
    "format",
    "format_id",
    "table_no",
    "cell_no",
    "dictionary_order",
    "sort_order",
    "measure_code",
    "metric_code",
    "rule_id",
    "fact_no",
    "issue_no",
    "region_code",
    "source_path",
)


def _alias(expression: str) -> str:
    return expression.rsplit(" as ", 1)[-1].split(".")[-1]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [
        (str(n), str(t))
        for n, t in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'main' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]


def _integral(con: duckdb.DuckDBPyConnection, body: str, doubles: Sequence[str]) -> list[str]:
    """The DOUBLE columns of ``body`` whose every value is a whole number (NULLs aside)."""
    if not doubles:
        return []
    tests = ", ".join(
        f"coalesce(bool_and({_ident(c)} = trunc({_ident(c)})), true)" for c in doubles
    )
    found = con.execute(f"select {tests} from ({body})").fetchone() or ()
    return [c for c, whole in zip(doubles, found, strict=True) if whole]


def _is_key(column: str) -> bool:
    return column.endswith(("_key", "_sha256"))


def _shown(column: str, kind: Literal["int", "mixed", "other"], as_text: bool) -> str:
    name = _ident(column)
    if kind == "int":
        return f"cast({name} as bigint) as {name}"
    if kind == "mixed" and as_text:  # 507 and 2.45 in one column: each as it is printed
        return (
            f"case when {name} = trunc({name}) and abs({name}) < 1e15 "
            f"then cast(cast({name} as bigint) as varchar) "
            f"else cast({name} as varchar) end as {name}"
        )
    return name


def analyst_sql(
    con: duckdb.DuckDBPyConnection, table: str, *, numbers_as_text: bool = False
) -> str:
    """``SELECT`` of ``main.<table>`` as an analyst view (see the module's docstring).

    Columns: the names (agency, year, format, file, labels), the table's other columns, then
    its keys. A DOUBLE column of whole numbers becomes BIGINT; with ``numbers_as_text`` (CSV)
    a column mixing counts and amounts prints each value as written (``507``, ``2.45``).
    ``table`` must be a known mart (the caller checks it against the catalogue).
    """
    columns = _columns(con, table)
    own = [name for name, _ in columns]
    added: list[str] = []
    names: list[str] = []
    joins: list[str] = []
    for key, join, expressions in _NAMES:
        new = [
            e
            for e in expressions
            if _alias(e) not in own + added and not (_alias(e) == "format" and "format_id" in own)
        ]  # said once
        if key in own and new:
            joins.append(join)
            names += new
            added += [_alias(e) for e in new]
    body = (
        f"select {', '.join([*names, *(f't.{_ident(c)}' for c in own)])} "
        f"from main.{_ident(table)} as t {' '.join(joins)}"
    )
    doubles = [name for name, kind in columns if kind in ("DOUBLE", "FLOAT")]
    ints = set(_integral(con, body, doubles))
    front = [c for c in _FRONT if c in added or c in own] + [a for a in added if a not in _FRONT]
    order = [
        *front,
        *(c for c in own if c not in front and not _is_key(c)),
        *(c for c in own if c not in front and _is_key(c)),
    ]
    shown = [
        _shown(c, "int" if c in ints else "mixed" if c in doubles else "other", numbers_as_text)
        for c in order
    ]
    sort = [c for c in _ORDER if c in order] + [c for c in own if _is_key(c)]
    return (
        f"select {', '.join(shown)} from ({body}) "
        f"order by {', '.join(f'{_ident(c)} nulls last' for c in sort) or 'all'}"
    )


def export_tables(
    con: duckdb.DuckDBPyConnection, tables: Sequence[str], to: ExportFormat, out_dir: Path
) -> list[Path]:
    """Write each of ``tables`` (known marts) as its analyst view; return the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if to == "xlsx":
        return [_write_workbook(con, tables, out_dir / WORKBOOK_NAME)]
    paths = []
    for table in tables:
        path = out_dir / f"{table}.{to}"
        if to == "parquet":
            con.execute(f"copy ({analyst_sql(con, table)}) to '{_literal(path)}' (format parquet)")
        else:
            sql = analyst_sql(con, table, numbers_as_text=True)
            _write_csv(con, _neutralised_sql(con, sql), path)
        paths.append(path)
    return paths


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(…) sends
# data away, =cmd|… runs programs): in CSV and Excel such text starts with a ' (shown as
# text, the OWASP advice). Numbers stay as they are ('-2.45' is a number, not a formula);
# Parquet, read by programs, keeps the text unchanged.
FORMULA_LEADS: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_LEAD_SQL: Final = r"'^[=+@\t\r-]'"


def neutralise(value: Any) -> Any:
    """``value`` with a ' before text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _neutralised_sql(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """``sql`` with every text column neutralised (see FORMULA_LEADS)."""
    shown = []
    for name, kind, *_ in con.execute(f"describe {sql}").fetchall():
        column = _ident(str(name))
        if kind == "VARCHAR":
            column = (
                f"case when regexp_matches({column}, {_FORMULA_LEAD_SQL}) "
                f"and try_cast({column} as double) is null "
                f"then chr(39) || {column} else {column} end as {column}"
            )
        shown.append(column)
    return f"select {', '.join(shown)} from ({sql})"


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def _write_csv(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> None:
    """DuckDB's CSV behind a UTF-8 BOM, written to a temporary file and renamed."""
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        body = Path(tmp) / "body.csv"
        con.execute(f"copy ({sql}) to '{_literal(body)}' (format csv, header true)")
        done = Path(tmp) / path.name
        with done.open("wb") as out, body.open("rb") as src:
            out.write(UTF8_BOM)
            while chunk := src.read(1 << 20):
                out.write(chunk)
        os.replace(done, path)


def display_width(value: Any) -> int:
    """Characters a cell shows, CJK counted twice (they are twice as wide in Excel)."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list):  # a DuckDB list (an unread cell's candidates): one text cell
        return neutralise(", ".join("" if v is None else str(_cell(v)) for v in value))
    # a column mixing counts and amounts: the counts still as whole numbers
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    # openpyxl cannot write time zones; the warehouse's timestamps are UTC already
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _write_workbook(con: duckdb.DuckDBPyConnection, tables: Sequence[str], path: Path) -> Path:
    """One sheet per table: frozen header, filters on every column, widths fitted."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)  # rows streamed, not held in memory
    for table in tables:
        sql = f"{analyst_sql(con, table)} limit {EXCEL_MAX_ROWS}"
        count = con.execute(f"select count(*) from ({sql})").fetchone()  # before the cursor:
        cursor = con.execute(sql)  # a later execute on the connection would reset it
        header = [d[0] for d in cursor.description or ()]
        sample = cursor.fetchmany(WIDTH_SAMPLE_ROWS)
        sheet = book.create_sheet(table[:31])
        sheet.freeze_panes = "A2"
        for i, name in enumerate(header, start=1):
            widest = max([display_width(name), *(display_width(r[i - 1]) for r in sample)])
            sheet.column_dimensions[get_column_letter(i)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, widest + 2)
            )
        last = get_column_letter(max(1, len(header)))
        sheet.auto_filter.ref = f"A1:{last}{(int(count[0]) if count else 0) + 1}"
        sheet.append(header)
        for row in sample:
            sheet.append([_cell(v) for v in row])
        while rows := cursor.fetchmany(10_000):
            for row in rows:
                sheet.append([_cell(v) for v in row])
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    os.replace(tmp, path)
    return path
