"""Load: extracted Parquet and the landing manifest → the DuckDB ``raw`` schema.

The only writer of the warehouse (dbt writes the marts after it, under the same pool).
``raw.load_manifest`` records which extracted batch each report's rows came from: a report
whose batch is unchanged is skipped, a re-extracted one has its rows replaced, all in one
transaction, so re-running a load leaves the warehouse as it was and a killed load leaves
it untouched. ``raw.pipeline_state`` holds small values such as the fingerprint the marts
were last built from.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import duckdb
import pyarrow as pa

from xxgk.core.db import limit_memory
from xxgk.core.decisions import read_log
from xxgk.core.limits import Limits
from xxgk.core.paths import DataDir
from xxgk.core.schema import (
    PER_REPORT_TABLES,
    RAW_TABLES,
    add_missing_columns,
    column_names,
    ddl,
    select_cast,
)

log = logging.getLogger(__name__)
MANIFEST_TABLE = "load_manifest"
MANIFEST_DDL = (
    f"CREATE TABLE IF NOT EXISTS raw.{MANIFEST_TABLE} "
    "(report_sha256 VARCHAR, batch_id VARCHAR, extractor_version VARCHAR)"
)
RETIRED_TABLES: Final = ("metric_dictionary", "rule_dictionary")  # the dictionary is dbt seeds
STATE_DDL = "CREATE TABLE IF NOT EXISTS raw.pipeline_state (name VARCHAR, value VARCHAR)"
REVIEW_TABLE: Final = "review_decisions"


class LoadCountMismatch(RuntimeError):
    """Files in ≠ files extracted + quarantined: something was silently lost."""


@dataclass(frozen=True)
class LoadSummary:
    files_landed: int
    reports_loaded: int
    by_status: dict[str, int]
    cells: int
    reports_reloaded: int = 0  # reports whose rows this load (re)wrote
    fingerprint: str = ""  # what the marts would be built from (see fingerprint())


def _upsert_landed(con: duckdb.DuckDBPyConnection, landed: list[dict[str, Any]]) -> None:
    """Insert new landings and replace changed ones; identical rows are left alone.

    Rows are cast to the table's types (``fetched_at`` comes as ISO text from the landing
    manifest); keys missing from every row (a manifest written before a column existed)
    are NULL.
    """
    if not landed:
        return
    cols = column_names("landed_files")
    arrow = pa.Table.from_pylist(landed)
    con.register("landed_rows", arrow)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE incoming AS "
        + select_cast("landed_files", set(arrow.column_names), "landed_rows")
    )
    con.unregister("landed_rows")
    _landing_times(con)
    key = (
        "landed_files.report_sha256 = incoming.report_sha256 "
        "AND landed_files.source_path = incoming.source_path"
    )
    differs = " OR ".join(f"landed_files.{c} IS DISTINCT FROM incoming.{c}" for c in cols[2:])
    con.execute(f"DELETE FROM raw.landed_files USING incoming WHERE {key} AND ({differs})")
    names = ", ".join(cols)
    con.execute(
        f"INSERT INTO raw.landed_files ({names}) SELECT {names} FROM incoming WHERE NOT EXISTS "
        f"(SELECT 1 FROM raw.landed_files WHERE {key})"
    )
    con.execute("DROP TABLE incoming")


# When a path's bytes were landed there: the time its present bytes arrived at it. A
# landing's ``landed_at`` is the raw-store file's mtime, the first time those bytes were
# stored anywhere; bytes put back at a path that held other bytes since (edit → load →
# original back → load) arrive anew, so they get this load's time (after every landing at
# that path) and become the version landed last. Bytes still in place keep their time, so
# re-runs change nothing.
_LANDING_TIMES_SQL = """
UPDATE incoming SET landed_at = timed.landed_at
FROM (
    SELECT i.report_sha256, i.source_path,
        CASE WHEN max(other.landed_at) >= coalesce(any_value(same.landed_at), i.landed_at)
             THEN greatest(CAST($now AS TIMESTAMP),
                           max(other.landed_at) + INTERVAL 1 MICROSECOND)
             ELSE coalesce(any_value(same.landed_at), i.landed_at)
        END AS landed_at
    FROM incoming AS i
    LEFT JOIN raw.landed_files AS same
        ON same.source_path = i.source_path AND same.report_sha256 = i.report_sha256
    LEFT JOIN raw.landed_files AS other
        ON other.source_path = i.source_path AND other.report_sha256 <> i.report_sha256
    GROUP BY i.report_sha256, i.source_path, i.landed_at
) AS timed
WHERE incoming.report_sha256 = timed.report_sha256
    AND incoming.source_path = timed.source_path
"""


def _landing_times(con: duckdb.DuckDBPyConnection) -> None:
    """Set ``incoming.landed_at`` to when each path received its present bytes."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(_LANDING_TIMES_SQL, {"now": now})


def wanted_batches(
    landed: list[dict[str, Any]], batches: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per landed report: the batch (id, Parquet paths) its rows are loaded from.

    A report held by several batches is taken from the one with the smallest id, so the
    choice does not depend on the order in which the batches were extracted.
    """
    shas = {r["report_sha256"] for r in landed}
    owner: dict[str, dict[str, Any]] = {}
    for batch in sorted(batches, key=lambda b: str(b["batch_id"]), reverse=True):
        manifest = json.loads(Path(batch["manifest"]).read_text(encoding="utf-8"))
        owner.update({sha: batch for sha in manifest["shas"] if sha in shas})
    return [
        {
            "report_sha256": sha,
            "batch_id": b["batch_id"],
            "extractor_version": b["extractor_version"],
            **{table: b["paths"][table] for table in PER_REPORT_TABLES},
        }
        for sha, b in sorted(owner.items())
    ]


def _load_reports(con: duckdb.DuckDBPyConnection, wanted: list[dict[str, Any]]) -> int:
    """Replace the rows of every report whose source batch is not the one loaded before.

    Returns how many reports were (re)loaded: a re-run with unchanged files writes nothing.
    """
    if not wanted:
        return 0
    con.register("wanted", pa.Table.from_pylist(wanted))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE todo AS SELECT * FROM wanted w WHERE NOT EXISTS ("
        f"SELECT 1 FROM raw.{MANIFEST_TABLE} m WHERE m.report_sha256 = w.report_sha256 "
        "AND m.batch_id = w.batch_id)"
    )
    con.unregister("wanted")
    row = con.execute("SELECT count(*) FROM todo").fetchone()
    todo = int(row[0]) if row else 0
    if todo:
        for table in PER_REPORT_TABLES:
            _reload_table(con, table)
        con.execute(
            f"DELETE FROM raw.{MANIFEST_TABLE} WHERE report_sha256 IN "
            "(SELECT report_sha256 FROM todo)"
        )
        con.execute(
            "DELETE FROM raw.report_fingerprints WHERE report_sha256 IN "
            "(SELECT report_sha256 FROM todo)"
        )
        con.execute(
            f"INSERT INTO raw.{MANIFEST_TABLE} "
            "SELECT report_sha256, batch_id, extractor_version FROM todo"
        )
    con.execute("DROP TABLE todo")
    return todo


def _reload_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    paths = [
        str(p) for (p,) in con.execute(f"SELECT DISTINCT {table} FROM todo ORDER BY 1").fetchall()
    ]
    cols = column_names(table)
    con.execute(f"DELETE FROM raw.{table} WHERE report_sha256 IN (SELECT report_sha256 FROM todo)")
    # only the rows of the reports each file is the chosen source for
    con.execute(
        f"INSERT INTO raw.{table} ({', '.join(cols)}) "
        f"SELECT {', '.join('p.' + c for c in cols)} "
        "FROM read_parquet($paths, filename = true) p JOIN todo t "
        f"ON p.report_sha256 = t.report_sha256 AND p.filename = t.{table}",
        {"paths": paths},
    )


# rows of another version are recomputed: bump the number when CONTENT_FINGERPRINT_SQL changes
FINGERPRINT_VERSION = f"3/duckdb-{duckdb.__version__}"

# One digest per report of what extraction read from it, whitespace ignored: its identity
# (format, year, scope, agency) and every cell (position, metric, value, raw text) and
# narrative number. The same report saved twice (re-encoded, re-formatted, an HTML page
# and its PDF twin read alike) gets the same digest. NULL when there is nothing to
# compare: a quarantined report, one with neither cell nor narrative number, or one whose
# agency is unknown (two unknown agencies' all-zero tables must not look like one report).
# Cells and facts are combined by summing a 64-bit hash of each (they carry their own
# position), not by concatenating them in order: a sum keeps no strings, so 100,000 reports
# stay well inside the load's memory limit (about 5 s for 11 M cells). DuckDB's hash() may
# change between DuckDB versions, so the version is part of FINGERPRINT_VERSION.
CONTENT_FINGERPRINT_SQL = r"""
WITH pending AS (
    SELECT * FROM raw.reports r WHERE NOT EXISTS (
        SELECT 1 FROM raw.report_fingerprints f WHERE f.report_sha256 = r.report_sha256)
),
parts AS (
    SELECT report_sha256, hash('cell', table_no, row_no, column_no, metric, value,
               regexp_replace(coalesce(raw, ''), '\s+', '', 'g')) AS part
    FROM raw.cells WHERE report_sha256 IN (SELECT report_sha256 FROM pending)
    UNION ALL
    SELECT report_sha256, hash('fact', fact_no, fact, value, approx) AS part
    FROM raw.narrative_facts WHERE report_sha256 IN (SELECT report_sha256 FROM pending)
),
content_sums AS (
    SELECT report_sha256, count(*) AS n, sum(part::HUGEINT) AS part_sum
    FROM parts GROUP BY report_sha256
)
SELECT DISTINCT ON (p.report_sha256) p.report_sha256,
    CASE WHEN p.status IN ('ok', 'partial') AND nullif(trim(p.agency), '') IS NOT NULL
              AND coalesce(c.n, 0) > 0
         THEN sha256(concat_ws(chr(31), coalesce(p.format, '-'),
              coalesce(CAST(p.report_year AS VARCHAR), '-'), coalesce(p.report_scope, 'own'),
              regexp_replace(p.agency, '\s+', '', 'g'), c.n, c.part_sum))
    END AS content_fingerprint,
    $version AS fingerprint_version
FROM pending p
LEFT JOIN content_sums c USING (report_sha256)
ORDER BY p.report_sha256, p.extracted_at DESC
"""


def _fingerprint_reports(con: duckdb.DuckDBPyConnection) -> None:
    """Compute ``raw.report_fingerprints`` for reports that have none (new or reloaded ones,
    or all of them after a change of ``FINGERPRINT_VERSION``); drop those of gone reports."""
    con.execute(
        "DELETE FROM raw.report_fingerprints WHERE fingerprint_version <> $v "
        "OR report_sha256 NOT IN (SELECT report_sha256 FROM raw.reports)",
        {"v": FINGERPRINT_VERSION},
    )
    con.execute(
        f"INSERT INTO raw.report_fingerprints {CONTENT_FINGERPRINT_SQL}",
        {"version": FINGERPRINT_VERSION},
    )


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Digest of what the marts are built from: loaded batches and landings (the dictionary
    reaches dbt as seeds, part of the dbt project's digest).

    Rows of the per-report tables are fixed by the batch they were loaded from (an
    extracted batch is immutable), so the load manifest stands for them.
    """
    parts = []
    for table in (MANIFEST_TABLE, "landed_files", "report_fingerprints", REVIEW_TABLE):
        cols = ", ".join(_columns(con, table))
        row = con.execute(
            f"SELECT count(*), coalesce(sum(hash({cols})::HUGEINT), 0) FROM raw.{table}"
        ).fetchone()
        parts.append(f"{table}:{row}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
        "AND table_name = $t ORDER BY ordinal_position",
        {"t": table},
    ).fetchall()
    return [str(r[0]) for r in rows]


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table in RAW_TABLES:
        con.execute(ddl(table))
        for statement in add_missing_columns(table):
            con.execute(statement)
    con.execute(MANIFEST_DDL)
    con.execute(STATE_DDL)
    for table in RETIRED_TABLES:  # a warehouse of an earlier version may still have them
        con.execute(f"DROP TABLE IF EXISTS raw.{table}")


def load_warehouse(
    warehouse: Path, landed: list[dict[str, Any]], batches: list[dict[str, Any]]
) -> LoadSummary:
    """Write landed files and extracted batches into ``raw``.

    Args:
        warehouse: the DuckDB file (created if missing).
        landed: landing rows (``LandedFile.as_row()``, ``landed_at`` as a datetime).
        batches: batch results of ``extract_batch``; each landed report is loaded from
            one of them.

    Raises:
        LoadCountMismatch: a landed file has no report row (neither extracted nor
            quarantined) after the load.
    """
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    wanted = wanted_batches(landed, batches)
    with duckdb.connect(str(warehouse)) as con:
        limit_memory(con, Limits.from_env().load_memory_limit)
        con.execute("BEGIN TRANSACTION")
        _create_tables(con)
        _upsert_landed(con, landed)
        reloaded = _load_reports(con, wanted)
        _fingerprint_reports(con)
        _copy_decisions(con, DataDir.of(warehouse).review)
        summary = _check_counts(con, landed, reloaded)
        con.execute("COMMIT")
    log.info("loaded %s", summary)
    return summary


def _copy_decisions(con: duckdb.DuckDBPyConnection, review_dir: Path) -> None:
    """Replace ``raw.review_decisions`` with the reviewers' log (``xxgk.core.decisions``):
    the log is kept outside the warehouse, so a rebuild from scratch keeps every decision."""
    decisions = [asdict(d) for d in read_log(review_dir)]
    con.execute(f"DELETE FROM raw.{REVIEW_TABLE}")
    if not decisions:
        return
    con.register("decision_rows", pa.Table.from_pylist(decisions))
    con.execute(
        f"INSERT INTO raw.{REVIEW_TABLE} "
        + select_cast(REVIEW_TABLE, set(decisions[0]), "decision_rows")
    )
    con.unregister("decision_rows")
    log.info("review decisions: %d from %s", len(decisions), review_dir)


def _check_counts(
    con: duckdb.DuckDBPyConnection, landed: list[dict[str, Any]], reloaded: int
) -> LoadSummary:
    shas = sorted({r["report_sha256"] for r in landed})
    found = con.execute(
        "SELECT status, count(*) FROM raw.reports WHERE report_sha256 IN "
        "(SELECT unnest($shas)) GROUP BY status",
        {"shas": shas},
    ).fetchall()
    by_status = {str(s): int(n) for s, n in found}
    loaded = sum(by_status.values())
    if loaded != len(shas):
        raise LoadCountMismatch(
            f"{len(shas)} distinct files landed but {loaded} have a report row "
            "(extracted or quarantined): files would be lost"
        )
    row = con.execute(
        "SELECT count(*) FROM raw.cells WHERE report_sha256 IN (SELECT unnest($shas))",
        {"shas": shas},
    ).fetchone()
    return LoadSummary(
        len(landed), loaded, by_status, int(row[0]) if row else 0, reloaded, fingerprint(con)
    )


def read_state(warehouse: Path, name: str) -> str | None:
    """A value of ``raw.pipeline_state`` (opened read-only), or None."""
    if not warehouse.exists():
        return None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        try:
            row = con.execute(
                "SELECT value FROM raw.pipeline_state WHERE name = $n", {"n": name}
            ).fetchone()
        except duckdb.CatalogException:
            return None
    return str(row[0]) if row else None


def write_state(warehouse: Path, name: str, value: str) -> None:
    """Set a value of ``raw.pipeline_state``; the caller holds the warehouse pool."""
    with duckdb.connect(str(warehouse)) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute(STATE_DDL)
        con.execute("DELETE FROM raw.pipeline_state WHERE name = $n", {"n": name})
        con.execute("INSERT INTO raw.pipeline_state VALUES ($n, $v)", {"n": name, "v": value})
        con.execute("COMMIT")
