"""Test helpers: a throwaway warehouse with the three mart tables the quality step reads.

The marts are built by dbt elsewhere; these tests create them directly with the same
columns so the validation can be tested without running dbt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from xxgk.dictionary import metrics

MART_DDL = (
    """
    create table main.dim_metrics (
        metric_key varchar, metric_code varchar, format_id varchar, table_no integer,
        label_path varchar, section varchar, row_key varchar, column_key varchar,
        unit varchar, value_type varchar, parent_metric_code varchar,
        is_on_template boolean, is_header_row boolean, format_ids varchar
    )
    """,
    """
    create table main.dim_reports (
        report_key varchar, report_sha256 varchar, source_path varchar, file_name varchar,
        raw_path varchar, format varchar, report_year integer, agency_key varchar,
        agency_name varchar, admin_level varchar, published_on date, status varchar,
        cell_count bigint, blank_cell_count bigint, issue_count bigint,
        error_issue_count bigint, narrative_fact_count bigint, landed_at timestamp,
        extracted_at timestamp, is_current boolean, is_superseded boolean
    )
    """,
    """
    create table main.fct_report_cells (
        report_cell_key varchar, report_key varchar, metric_key varchar,
        agency_key varchar, report_year integer, metric_code varchar, table_no integer,
        row_no integer, column_no integer, cell_no integer, row_label varchar,
        column_label varchar, value double, is_blank boolean, raw_text varchar,
        locator varchar, report_sha256 varchar, is_current_report boolean
    )
    """,
)

# SEED001 (old, 台州市经济和信息化委员会 2017), SPEC Appendix A; blank cells omitted.
SEED001: dict[str, float] = {
    "old_s1_header_total": 492,
    "old_act_info_total": 492,
    "old_act_ndoc_published": 1,
    "old_act_ndoc_issued": 1,
    "old_act_ch_website": 426,
    "old_act_ch_weibo": 66,
    "old_s2_header_total": 12,
    "old_resp_channels_total": 10,
    "old_resp_press_conf_principal": 2,
    "old_resp_interpretations": 8,
    "old_s3_header_total": 5,
    "old_app_received": 5,
    "old_app_recv_online": 5,
    "old_app_closed": 5,
    "old_app_closed_on_time": 2,
    "old_app_closed_extended": 3,
    "old_app_answered": 5,
    "old_ans_already_public": 1,
    "old_ans_partial": 2,
    "old_ans_not_this_agency": 2,
    "old_review_total": 2,
    "old_review_other": 2,
    "old_lit_total": 0,
    "old_complaints_total": 0,
    "old_fees_collected": 0,
    "old_org_dedicated_units": 1,
    "old_org_staff_parttime": 1,
    "old_org_special_funds": 2,
    "old_s9_header_total": 2,
    "old_train_trainees": 2,
}

T3_COLUMNS = (
    "natural_person",
    "org_commercial",
    "org_research",
    "org_social_welfare",
    "org_legal_service",
    "org_other",
    "total",
)


def shanghai_2019_t3() -> dict[str, float]:
    """Tables 三/四 of the Shanghai 2019 report [R-SH2019], SPEC §7.2, partly reconstructed.

    Stated: 859 + 18 = 805 + 72 (总计); 821 + 18 = 767 + 72 (自然人); （七） 767 + 35 + 2 + 1
    = 805; （四） 321 + 15 + 1; 总计 blank on every result row; 2 reviews and 1 lawsuit
    尚未审结. The split of the 法人 columns and the （六） row are filled in to balance.
    """
    return {
        "t3_new_received__natural_person": 821,
        "t3_new_received__org_commercial": 35,
        "t3_new_received__org_research": 2,
        "t3_new_received__org_other": 1,
        "t3_new_received__total": 859,
        "t3_carried_over__natural_person": 18,
        "t3_carried_over__total": 18,
        "t3_res_granted__natural_person": 272,
        "t3_res_partial__natural_person": 3,
        "t3_res_unable_not_held__natural_person": 321,
        "t3_res_unable_needs_creation__natural_person": 15,
        "t3_res_unable_unclear__natural_person": 1,
        "t3_res_other__natural_person": 155,
        "t3_res_total__natural_person": 767,
        "t3_res_granted__org_commercial": 35,
        "t3_res_total__org_commercial": 35,
        "t3_res_granted__org_research": 2,
        "t3_res_total__org_research": 2,
        "t3_res_partial__org_other": 1,
        "t3_res_total__org_other": 1,
        "t3_res_total__total": 805,
        "t3_carried_forward__natural_person": 72,
        "t3_carried_forward__total": 72,
        "t4_review_pending": 2,
        "t4_review_total": 2,
        "t4_lit_direct_pending": 1,
        "t4_lit_direct_total": 1,
    }


def _key(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def create_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Create the three mart tables and fill dim_metrics from the packaged dictionary."""
    for ddl in MART_DDL:
        con.execute(ddl)
    rows: dict[str, tuple[Any, ...]] = {}
    for fmt in ("old", "v2019", "v2021"):
        for m in metrics()[fmt]:
            rows[m.code] = (
                _key(m.code), m.code, fmt, m.table_no, " › ".join(m.label_path),
                m.label_path[0], m.row_key, m.column_key, m.unit, m.value_type, m.parent,
                m.on_template is None, m.on_template == "header_row", fmt,
            )  # fmt: skip
    con.executemany(
        f"insert into main.dim_metrics values ({', '.join('?' * 14)})", list(rows.values())
    )


def add_report(
    con: duckdb.DuckDBPyConnection,
    report_key: str,
    format_id: str,
    values: Mapping[str, float | None],
    *,
    agency: str = "测试机关",
    year: int = 2019,
    is_current: bool = True,
    raw_text: Mapping[str, str | None] | None = None,
) -> None:
    """Insert one report and its cells (``None`` = a blank cell, raw text '')."""
    now = datetime(2025, 1, 1)
    con.execute(
        f"insert into main.dim_reports values ({', '.join('?' * 21)})",
        [
            report_key, report_key, f"inbox/{report_key}.html", f"{report_key}.html",
            f"raw/{report_key}", format_id, year, _key(agency), agency, "county", None, "ok",
            len(values), sum(v is None for v in values.values()), 0, 0, 0, now, now,
            is_current, not is_current,
        ],
    )  # fmt: skip
    raw_text = raw_text or {}
    cells = []
    for cell_no, (code, value) in enumerate(values.items(), start=1):
        raw = raw_text.get(code, "" if value is None else f"{value:g}")
        cells.append(
            (
                _key(report_key, cell_no), report_key, _key(code), _key(agency), year, code,
                1, cell_no, 1, cell_no, code, None, value, value is None, raw,
                f"table[1]/tr[{cell_no}]", report_key, is_current,
            )
        )  # fmt: skip
    if cells:
        con.executemany(f"insert into main.fct_report_cells values ({', '.join('?' * 18)})", cells)


def build_warehouse(path: Path, reports: list[dict[str, Any]]) -> Path:
    """Write a warehouse file: marts + ``add_report(**report)`` for each entry."""
    with duckdb.connect(str(path)) as con:
        create_marts(con)
        for report in reports:
            add_report(con, **report)
    return path
