"""Load: extracted Parquet and the landing manifest → the DuckDB ``raw`` schema.

The only writer of the warehouse. Rows of a re-extracted report replace its old rows in
one transaction, so re-running a load leaves the warehouse as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from xxgk.dictionary import metrics, raw_dictionary
from xxgk.schema import PER_REPORT_TABLES, RAW_TABLES, add_missing_columns, column_names, ddl

log = logging.getLogger(__name__)


class LoadCountMismatch(RuntimeError):
    """Files in ≠ files extracted + quarantined: something was silently lost."""


@dataclass(frozen=True)
class LoadSummary:
    files_landed: int
    reports_loaded: int
    by_status: dict[str, int]
    cells: int


def _dictionary_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    metric_rows = []
    for fmt, ms in metrics().items():
        for m in ms:
            metric_rows.append({
                "metric_code": m.code, "format_id": fmt, "table_no": m.table_no,
                "label_path": " › ".join(m.label_path), "section": m.label_path[0],
                "row_key": m.row_key, "column_key": m.column_key, "unit": m.unit,
                "value_type": m.value_type, "parent_code": m.parent,
                "on_template": None if m.on_template is None else str(m.on_template).lower(),
                "comparable_to": m.comparable_to,
            })
    rule_rows = [
        {"rule_id": r["id"], "format_id": f["id"], "expr": str(r["expr"]),
         "severity": r["severity"], "basis": r.get("basis"),
         "null_policy": r.get("null_policy"), "note": r.get("note")}
        for f in raw_dictionary()["formats"] for r in f["rules"]
    ]
    return metric_rows, rule_rows


def _replace_all(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    data = pa.Table.from_pylist(rows) if rows else None
    con.execute(f"DELETE FROM raw.{table}")
    if data is not None:
        cols = ", ".join(column_names(table))
        con.register("incoming", data)
        con.execute(f"INSERT INTO raw.{table} ({cols}) SELECT {cols} FROM incoming")
        con.unregister("incoming")


def _upsert_landed(con: duckdb.DuckDBPyConnection, landed: list[dict[str, Any]]) -> None:
    if not landed:
        return
    con.register("incoming", pa.Table.from_pylist(landed))
    con.execute(
        "DELETE FROM raw.landed_files USING incoming "
        "WHERE landed_files.report_sha256 = incoming.report_sha256 "
        "AND landed_files.source_path = incoming.source_path"
    )
    cols = ", ".join(column_names("landed_files"))
    con.execute(f"INSERT INTO raw.landed_files ({cols}) SELECT {cols} FROM incoming")
    con.unregister("incoming")


def _load_batches(con: duckdb.DuckDBPyConnection, paths: list[str], table: str) -> None:
    if not paths:
        return
    cols = ", ".join(column_names(table))
    con.execute(
        f"DELETE FROM raw.{table} WHERE report_sha256 IN "
        "(SELECT DISTINCT report_sha256 FROM read_parquet($paths))", {"paths": paths})
    con.execute(
        f"INSERT INTO raw.{table} ({cols}) SELECT {cols} FROM read_parquet($paths)",
        {"paths": paths})


def load_warehouse(warehouse: Path, landed: list[dict[str, Any]],
                   batches: list[dict[str, Any]]) -> LoadSummary:
    """Write landed files, extracted batches and the dictionary into ``raw``.

    Raises:
        LoadCountMismatch: a landed file has no report row (neither extracted nor
            quarantined) after the load.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    metric_rows, rule_rows = _dictionary_rows()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        for table in RAW_TABLES:
            con.execute(ddl(table))
            for statement in add_missing_columns(table):
                con.execute(statement)
        _replace_all(con, "metric_dictionary", metric_rows)
        _replace_all(con, "rule_dictionary", rule_rows)
        _upsert_landed(con, landed)
        for table in PER_REPORT_TABLES:
            _load_batches(con, [b["paths"][table] for b in batches], table)
        summary = _check_counts(con, landed)
        con.execute("COMMIT")
    log.info("loaded %s", summary)
    return summary


def _check_counts(con: duckdb.DuckDBPyConnection, landed: list[dict[str, Any]]) -> LoadSummary:
    shas = sorted({r["report_sha256"] for r in landed})
    found = con.execute(
        "SELECT status, count(*) FROM raw.reports WHERE report_sha256 IN "
        "(SELECT unnest($shas)) GROUP BY status", {"shas": shas}).fetchall()
    by_status = {str(s): int(n) for s, n in found}
    loaded = sum(by_status.values())
    if loaded != len(shas):
        raise LoadCountMismatch(
            f"{len(shas)} distinct files landed but {loaded} have a report row "
            "(extracted or quarantined): files would be lost")
    row = con.execute(
        "SELECT count(*) FROM raw.cells WHERE report_sha256 IN (SELECT unnest($shas))",
        {"shas": shas}).fetchone()
    return LoadSummary(len(landed), loaded, by_status, int(row[0]) if row else 0)
