"""Warehouse checksums: two loads of the same files must leave identical tables."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

# Columns that differ between two runs of the same files by design: the run timestamp, and
# the incremental build's per-version digest (it covers extracted_at).
RUN_DEPENDENT: tuple[str, ...] = ("extracted_at", "state_digest")


def warehouse_checksums(
    warehouse: Path,
    ignore: Sequence[str] = RUN_DEPENDENT,
) -> dict[str, tuple[int, int]]:
    """Row count and order-independent checksum of every table, keyed ``schema.table``.

    Columns named in ``ignore`` (run timestamps) are left out, so two warehouses built
    from the same files compare equal. Opened read-only.
    """
    import duckdb

    out: dict[str, tuple[int, int]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY ALL"
        ).fetchall()
        for schema, table in tables:
            cols = [
                f'"{c}"'
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = $s "
                    "AND table_name = $t ORDER BY ordinal_position",
                    {"s": schema, "t": table},
                ).fetchall()
                if c not in ignore
            ]
            row = con.execute(
                f"SELECT count(*), coalesce(sum(hash({', '.join(cols)})::HUGEINT), 0) "
                f'FROM "{schema}"."{table}"'
            ).fetchone()
            out[f"{schema}.{table}"] = (int(row[0]), int(row[1])) if row else (0, 0)
    return out
