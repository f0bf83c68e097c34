"""Column layout of the tables that cross stage boundaries.

Extraction batches write these as Parquet; the load step copies them into the DuckDB
``raw`` schema under the same names; dbt staging reads ``raw.<table>``. One place, so
the Parquet writer, the loader and the dbt sources cannot drift apart. (``landed_files``
comes from the landing manifest and ``report_fingerprints`` is computed by the load.)
"""

from __future__ import annotations

from typing import Final

# table name -> ordered (column, DuckDB type). Keys: report_sha256 everywhere.
RAW_TABLES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    # One row per landed file version (land step). Quarantined files are here too.
    "landed_files": (
        ("report_sha256", "VARCHAR"),
        ("source_path", "VARCHAR"),  # path relative to the inbox, as found
        ("raw_path", "VARCHAR"),  # path inside the content-addressed raw store
        ("file_name", "VARCHAR"),
        ("size_bytes", "BIGINT"),
        ("inbox_year", "INTEGER"),  # year folder of the inbox (inbox/<year>/...), if any
        ("landed_at", "TIMESTAMP"),
        # fetched files only (URL-list landing); NULL for inbox files
        ("url", "VARCHAR"),  # the URL as listed
        ("fetched_at", "TIMESTAMP"),  # when this response was received (UTC)
        ("http_status", "INTEGER"),  # final HTTP status (NULL when nothing answered)
        ("charset_hint", "VARCHAR"),  # charset of the Content-Type header
        ("agency_hint", "VARCHAR"),  # agency column of the URL list
        # crawled files only (xxgk crawl): ``url`` is then the page that gives the report
        ("file_url", "VARCHAR"),  # an attachment's own URL when ``url`` is its cover page
        ("anchor_text", "VARCHAR"),  # of the link the crawl followed
        ("page_title", "VARCHAR"),
        ("breadcrumb", "VARCHAR"),  # the page's 当前位置
    ),
    # One row per extracted file version: the contract record's scalar fields.
    "reports": (
        ("report_sha256", "VARCHAR"),
        ("source_path", "VARCHAR"),
        ("status", "VARCHAR"),  # ok | partial | quarantined
        ("format", "VARCHAR"),  # old | v2019 | v2021 | narrative | unknown
        ("report_year", "INTEGER"),
        ("agency", "VARCHAR"),  # as stated (cleaned); NULL when no signal names it
        ("agency_qualified", "VARCHAR"),  # with the divisions it does not spell itself
        ("agency_signal", "VARCHAR"),  # the signal that decided (docs/contract.md)
        ("agency_snippet", "VARCHAR"),  # the text it came from
        ("agency_confidence", "DOUBLE"),
        ("admin_level", "VARCHAR"),
        ("published_on", "DATE"),
        ("title", "VARCHAR"),
        ("agency_org_code", "VARCHAR"),  # 组织机构代码 / 统一社会信用代码 from the 索引号
        ("body_type", "VARCHAR"),  # people_government | government_office | department | …
        ("region_code", "VARCHAR"),  # finest division: 9-digit township, else 6-digit code
        ("report_scope", "VARCHAR"),  # own | aggregate (a region's 汇总 report)
        ("scope_evidence", "VARCHAR"),  # the words that make it aggregate; NULL for own
        ("period_start", "DATE"),
        ("period_end", "DATE"),
        ("container", "VARCHAR"),  # text | html | pdf | docx | … (how the bytes were read)
        ("extractor_version", "VARCHAR"),
        ("extracted_at", "TIMESTAMP"),
        ("agency_compiler", "VARCHAR"),  # a township office that compiled its government's report
        ("region_signal", "VARCHAR"),  # what placed region_code: name | text | domain | crawl | …
        ("region_snippet", "VARCHAR"),  # the text or address it came from
    ),
    # One row per table cell as published (blank cells included, value NULL).
    "cells": (
        ("report_sha256", "VARCHAR"),
        ("cell_no", "INTEGER"),  # order within the report
        ("table_no", "INTEGER"),  # 1 = old 统计表; 2/3/4 = tables 二/三/四 of v2019/v2021
        ("row_no", "INTEGER"),
        ("column_no", "INTEGER"),
        ("metric", "VARCHAR"),  # metric code of metrics.yaml; NULL for non-standard rows
        ("value", "DOUBLE"),  # NULL = blank / not reported; 0 = reported zero
        ("raw", "VARCHAR"),
        ("row_label", "VARCHAR"),
        ("column_label", "VARCHAR"),
        ("locator", "VARCHAR"),  # + ', page P, box x0 y0 x1 y1' for a cell read by OCR
        ("confidence", "DOUBLE"),  # OCR confidence 0–1; NULL when read from a text layer
    ),
    # One row per cell the reader left unread (its values not assigned to columns: N values
    # for M columns, a glued run several splits fit) or read by OCR and not verified.
    "unread_cells": (
        ("report_sha256", "VARCHAR"),
        ("unread_no", "INTEGER"),  # order within the report
        ("table_no", "INTEGER"),
        ("row_no", "INTEGER"),  # as in cells.locator
        ("column_no", "INTEGER"),
        ("metric", "VARCHAR"),  # the cell's metric code (row and column of the template)
        ("row_label", "VARCHAR"),
        ("column_label", "VARCHAR"),
        ("locator", "VARCHAR"),
        ("raw", "VARCHAR"),  # the row's text the values were not assigned from
        ("reason", "VARCHAR"),  # the issue code: column_ambiguous | ocr_unverified
        ("candidates", "DOUBLE[]"),  # numbers the cell may hold (empty: none known)
    ),
    # One row per table of the report's format: which part of it the report holds.
    "table_coverage": (
        ("report_sha256", "VARCHAR"),
        ("table_no", "INTEGER"),
        ("is_present", "BOOLEAN"),  # the report prints the table
        ("is_truncated", "BOOLEAN"),  # the copy ends inside it
        ("rows_expected", "INTEGER"),  # rows of the template
        ("rows_printed", "INTEGER"),  # template rows found
        ("last_row", "VARCHAR"),  # row key of the last row found
        ("last_row_label", "VARCHAR"),
        ("cells_expected", "INTEGER"),  # cells of the printed part
        ("absent_metrics", "VARCHAR[]"),  # metrics the report does not hold (cut, missing)
        ("reason", "VARCHAR"),  # 'table 三 cut after row 4 (…)', 'table 四 missing'; NULL
    ),
    # One row per number stated in prose.
    "narrative_facts": (
        ("report_sha256", "VARCHAR"),
        ("fact_no", "INTEGER"),
        ("fact", "VARCHAR"),
        ("value", "DOUBLE"),
        ("approx", "BOOLEAN"),
        ("text", "VARCHAR"),
    ),
    # One row per extraction issue (quarantine reasons are error issues).
    "issues": (
        ("report_sha256", "VARCHAR"),
        ("issue_no", "INTEGER"),
        ("code", "VARCHAR"),
        ("severity", "VARCHAR"),  # error | warning
        ("message", "VARCHAR"),
    ),
    # One row per loaded report: a digest of what was read from it (load step, from the rows
    # above), so the same report landed as different bytes can be found (dbt: duplicate_of).
    "report_fingerprints": (
        ("report_sha256", "VARCHAR"),
        ("content_fingerprint", "VARCHAR"),  # NULL: nothing to compare (see xxgk.load.raw)
        ("fingerprint_version", "VARCHAR"),  # rows of another version are recomputed
    ),
}

# Tables whose rows belong to one report and are replaced when that report is re-extracted.
PER_REPORT_TABLES: Final[tuple[str, ...]] = (
    "reports",
    "cells",
    "narrative_facts",
    "issues",
    "unread_cells",
    "table_coverage",
)


def ddl(table: str, schema: str = "raw") -> str:
    """``CREATE TABLE IF NOT EXISTS`` statement for one raw table."""
    cols = ", ".join(f"{name} {typ}" for name, typ in RAW_TABLES[table])
    return f"CREATE TABLE IF NOT EXISTS {schema}.{table} ({cols})"


def add_missing_columns(table: str, schema: str = "raw") -> list[str]:
    """``ALTER TABLE … ADD COLUMN IF NOT EXISTS`` for every column (older warehouses)."""
    return [
        f"ALTER TABLE {schema}.{table} ADD COLUMN IF NOT EXISTS {name} {typ}"
        for name, typ in RAW_TABLES[table]
    ]


def select_cast(table: str, present: set[str], source: str = "incoming") -> str:
    """``SELECT`` of every column of ``table`` from ``source``, cast to its type; columns
    ``source`` does not have (rows written before a column existed) are NULL."""
    cols = [
        f"CAST({source}.{name} AS {typ}) AS {name}"
        if name in present
        else f"CAST(NULL AS {typ}) AS {name}"
        for name, typ in RAW_TABLES[table]
    ]
    return f"SELECT {', '.join(cols)} FROM {source}"


def column_names(table: str) -> list[str]:
    return [name for name, _ in RAW_TABLES[table]]
