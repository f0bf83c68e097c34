"""Read-only views of the warehouse for people: status, exports, ad-hoc SQL.

Every view opens DuckDB read-only, so it never competes with a load for the write lock, and
sandboxed (``xxgk.core.db.connect_sandboxed``): a query cannot write or read any other file,
reach the network or install extensions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from xxgk.core.db import connect_sandboxed


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist (no load has run yet)."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


@contextmanager
def connect(
    warehouse: Path, writable: tuple[Path, ...] = ()
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, read-only and sandboxed; ``writable``: folders COPY may write into."""
    if not warehouse.exists():
        raise WarehouseMissing(f"no warehouse at {warehouse}: run `xxgk load` first")
    con = connect_sandboxed(warehouse, writable)
    try:
        yield con
    finally:
        con.close()


def query(warehouse: Path, sql: str, params: dict[str, Any] | None = None) -> QueryResult:
    with connect(warehouse) as con:
        cur = con.execute(sql, params or {})
        columns = [d[0] for d in cur.description or []]
        return QueryResult(columns, cur.fetchall())


class NoStatement(ValueError):
    """The SQL text holds no statement (empty, only comments or ``;``)."""


def query_script(warehouse: Path, sql: str) -> list[QueryResult]:
    """Each statement of ``sql`` in turn on one connection (a script, ``xxgk sql -f``).

    Raises:
        NoStatement: ``sql`` holds only comments, ``;`` or nothing.
    """
    with connect(warehouse) as con:
        statements = con.extract_statements(sql)
        if not statements:
            raise NoStatement("no SQL statement to run (only comments or an empty query)")
        results = []
        for statement in statements:
            cur = con.execute(statement.query)
            results.append(QueryResult([d[0] for d in cur.description or []], cur.fetchall()))
        return results


def mart_tables(warehouse: Path) -> list[str]:
    """Tables of the ``main`` schema (the marts), by name."""
    result = query(
        warehouse,
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_name",
    )
    return [r[0] for r in result.rows]


STATUS_SQL = """
SELECT coalesce(cast(report_year AS VARCHAR), '?') AS year,
       coalesce(format, '?') AS format,
       count(*) AS reports,
       count(*) FILTER (WHERE status = 'ok') AS ok,
       count(*) FILTER (WHERE status = 'partial') AS partial,
       count(*) FILTER (WHERE status = 'quarantined') AS quarantined,
       count(*) FILTER (WHERE is_superseded) AS superseded,
       count(*) FILTER (WHERE is_duplicate) AS duplicates,
       sum(cell_count) AS cells
FROM main.dim_reports
GROUP BY ALL ORDER BY year, format
"""

QUARANTINE_SQL = """
SELECT i.code AS reason, count(DISTINCT r.report_key) AS files
FROM main.dim_reports r JOIN main.fct_extraction_issues i USING (report_key)
WHERE r.status = 'quarantined' AND i.severity = 'error'
GROUP BY ALL ORDER BY files DESC, reason
"""


# current reports (quarantined ones have their own table) missing who, when or where
UNKNOWN_SQL = """
SELECT r.file_name AS file,
       r.source_path AS path,
       concat_ws(', ',
           CASE WHEN a.is_unknown THEN 'agency' END,
           CASE WHEN r.report_year IS NULL THEN 'year' END,
           CASE WHEN a.region_code IS NULL THEN 'region' END) AS unknown
FROM main.dim_reports r JOIN main.dim_agencies a USING (agency_key)
WHERE r.is_current AND r.status <> 'quarantined'
  AND (a.is_unknown OR r.report_year IS NULL OR a.region_code IS NULL)
ORDER BY r.source_path
"""


# completeness of the current, readable reports: `ok` means nothing unread, no table cut
COMPLETENESS_SQL = """
SELECT count(*) FILTER (WHERE status = 'ok') AS ok,
       count(*) FILTER (WHERE status = 'partial') AS partial,
       count(*) FILTER (WHERE tables_cut > 0) AS "table cut",
       count(*) FILTER (WHERE tables_missing > 0) AS "table missing",
       count(*) FILTER (WHERE cells_unread > 0) AS "cells unread",
       coalesce(sum(cells_expected), 0) AS "cells expected",
       coalesce(sum(cells_read), 0) AS "cells read",
       coalesce(sum(cells_unread), 0) AS "cells unread total"
FROM main.dim_reports
WHERE is_current AND status <> 'quarantined'
"""

DUPLICATE_COUNTS_SQL = """
SELECT duplicate_kind AS kind, count(*) AS files
FROM main.fct_duplicate_files GROUP BY ALL ORDER BY kind
"""

LISTED: int = 200  # rows of a "which files" table shown; the mart holds them all
DUPLICATE_FILES_SQL = f"""
SELECT file_name AS file, source_path AS path, duplicate_of_path AS "duplicate of",
       duplicate_kind AS kind
FROM main.fct_duplicate_files ORDER BY source_path LIMIT {LISTED}
"""

# aggregate (汇总) reports are left out of fct_agency_year_measures: say which, and why
AGGREGATE_SQL = f"""
SELECT file_name AS file, agency_name AS agency, report_year AS year,
       scope_reason AS reason, scope_evidence AS evidence
FROM main.dim_reports
WHERE is_current AND is_aggregate
ORDER BY agency_name, report_year LIMIT {LISTED}
"""


def completeness(warehouse: Path) -> list[tuple[str, QueryResult]]:
    """Completeness, duplicate copies and aggregate reports, titled; empty for a warehouse
    built before these columns and marts existed."""
    views = [
        ("Completeness of current reports (ok = nothing unread, no table cut)", COMPLETENESS_SQL),
        (
            "Duplicate files (copies not counted as reports, fct_duplicate_files)",
            DUPLICATE_COUNTS_SQL,
        ),
        ("Which copies, and the file each duplicates", DUPLICATE_FILES_SQL),
        ("Aggregate (汇总) reports, left out of the agency-year measures", AGGREGATE_SQL),
    ]
    out = []
    for title, sql in views:
        try:
            out.append((title, query(warehouse, sql)))
        except (duckdb.CatalogException, duckdb.BinderException):
            continue  # built by an earlier version: `xxgk load` rebuilds it
    return out


def unknowns(warehouse: Path) -> tuple[QueryResult, QueryResult]:
    """How many current, readable reports have no agency / year / region, and which."""
    files = query(warehouse, UNKNOWN_SQL)
    kinds = ("agency", "year", "region")
    counts = [(k, sum(k in str(row[2]).split(", ") for row in files.rows)) for k in kinds]
    return QueryResult(["unknown", "reports"], counts), files


def status(warehouse: Path) -> tuple[QueryResult, QueryResult]:
    """Reports per year and format, and quarantined files per reason."""
    return query(warehouse, STATUS_SQL), query(warehouse, QUARANTINE_SQL)


def _safe_table(name: str, known: list[str]) -> str:
    if name not in known:
        raise ValueError(f"unknown table {name!r}; the marts are: {', '.join(known)}")
    return name


def export(warehouse: Path, to: str, out_dir: Path, tables: list[str] | None = None) -> list[Path]:
    """Write mart tables as analyst views (``xxgk.publish.exports``): Parquet/CSV files or one
    Excel workbook; return the paths."""
    from xxgk.publish.exports import EXPORT_FORMATS, export_tables

    chosen_format = next((f for f in EXPORT_FORMATS if f == to), None)
    if chosen_format is None:
        raise ValueError(f"--to must be one of {', '.join(EXPORT_FORMATS)}")
    known = mart_tables(warehouse)
    chosen = [_safe_table(t, known) for t in tables] if tables else known
    # the export may write into its folder and nowhere else (given resolved: DuckDB
    # compares the paths it is asked for with the allowed folders as written)
    target = out_dir.resolve()
    target.mkdir(parents=True, exist_ok=True)
    with connect(warehouse, writable=(target,)) as con:
        written = export_tables(con, chosen, chosen_format, target)
    return [out_dir / p.relative_to(target) for p in written]


FINDINGS_SQL = """
SELECT r.report_year AS year, r.agency_name AS agency, r.file_name, r.format, f.rule_id,
       f.severity,
       f.lhs, f.rhs, f.difference, f.message_zh AS message
FROM main.fct_rule_results f JOIN main.dim_reports r USING (report_key)
WHERE f.outcome = 'failed'
  AND ($year IS NULL OR r.report_year = $year)
  AND ($severity IS NULL OR f.severity = $severity)
ORDER BY f.severity, r.report_year, r.agency_name, r.file_name, f.rule_id
LIMIT $limit
"""


def findings(
    warehouse: Path, *, year: int | None = None, severity: str | None = None, limit: int = 200
) -> QueryResult:
    """Failed rule results of current reports, optionally for one year and severity."""
    return query(warehouse, FINDINGS_SQL, {"year": year, "severity": severity, "limit": limit})


def schema(warehouse: Path, table: str | None = None) -> QueryResult:
    """The marts with their descriptions (grain first), or one mart's columns with their
    types and descriptions: the schema YAML's text, which dbt writes as comments."""
    if table is None:
        return query(
            warehouse,
            "SELECT table_name AS table, comment AS description FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main' "
            "ORDER BY table_name",
        )
    _safe_table(table, mart_tables(warehouse))
    return query(
        warehouse,
        "SELECT column_name AS column, data_type AS type, comment AS description "
        "FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = $table ORDER BY column_index",
        {"table": table},
    )
