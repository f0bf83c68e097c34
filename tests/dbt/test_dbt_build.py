"""`dbt build` on a small realistic warehouse: versions, blanks, zeros, quarantine."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from xxgk.transform import DbtResult, run_dbt_build

pytestmark = pytest.mark.integration

WarehouseFactory = Callable[..., Path]


def sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


OLD = sha("taizhou-2017.html")  # old format: a blank cell, a 0 cell, a non-standard row
V2019 = sha("hutubi-2020.pdf")  # v2019 format, one warning issue
DUP_FIRST = sha("liupanshui-2016-a.html")  # two versions of one (agency, year) report
DUP_LATER = sha("liupanshui-2016-b.html")
QUARANTINED = sha("garbage.pdf")  # unreadable: no agency, no year, one error issue

LANDED = {
    OLD: ("2017/taizhou-2017.html", datetime(2018, 1, 20, 8, 0)),
    V2019: ("2020/hutubi-2020.pdf", datetime(2021, 1, 25, 8, 0)),
    DUP_FIRST: ("2016/liupanshui-2016-a.html", datetime(2017, 2, 20, 8, 0)),
    DUP_LATER: ("2016/liupanshui-2016-b.html", datetime(2017, 3, 1, 8, 0)),
    QUARANTINED: ("2020/garbage.pdf", datetime(2021, 2, 1, 8, 0)),
}


def _report(
    key: str, status: str, fmt: str, year: int | None, agency: str | None, level: str
) -> dict[str, Any]:
    return {
        "report_sha256": key,
        "source_path": LANDED[key][0],
        "status": status,
        "format": fmt,
        "report_year": year,
        "agency": agency,
        "admin_level": level,
        "published_on": date(year + 1, 1, 20) if year else None,
        "extractor_version": "0.1.0",
        "extracted_at": datetime(2025, 1, 1, 12, 0),
    }


def _cell(key: str, no: int, metric: str | None, value: float | None, raw: str) -> dict[str, Any]:
    table_no = 1 if metric is None or metric.startswith("old_") else 3
    return {
        "report_sha256": key,
        "cell_no": no,
        "table_no": table_no,
        "row_no": no,
        "column_no": 3 if table_no == 1 else 8,
        "metric": metric,
        "value": value,
        "raw": raw,
        "row_label": f"row {no}",
        "column_label": "统计数" if table_no == 1 else "总计",
        "locator": f"table {table_no}, row {no}",
    }


@pytest.fixture(scope="module")
def raw_rows(metric_dictionary_rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {
        "landed_files": [
            {
                "report_sha256": key,
                "source_path": source_path,
                "raw_path": f"raw/{key[:2]}/{key}",
                "file_name": Path(source_path).name,
                "size_bytes": 1234,
                "inbox_year": int(source_path[:4]),
                "landed_at": landed_at,
            }
            for key, (source_path, landed_at) in LANDED.items()
        ],
        "reports": [
            _report(OLD, "ok", "old", 2017, "台州市经济和信息化委员会", "prefecture"),
            _report(V2019, "ok", "v2019", 2020, "呼图壁县商务和工业信息化局", "county"),
            _report(DUP_FIRST, "ok", "old", 2016, "六盘水市水库和生态移民局", "prefecture"),
            # the later version spells the name with a line-break space: same agency
            _report(DUP_LATER, "ok", "old", 2016, "六盘水市 水库和生态移民局", "unknown"),
            _report(QUARANTINED, "quarantined", "unknown", None, None, "unknown"),
        ],
        "cells": [
            _cell(OLD, 1, "old_act_info_total", 426.0, "426"),
            _cell(OLD, 2, "old_act_ndoc_published", None, ""),
            _cell(OLD, 3, "old_app_received", 0.0, "0"),
            _cell(OLD, 4, None, 5.0, "5"),
            _cell(V2019, 1, "t3_new_received__total", 0.0, "0"),
            _cell(V2019, 2, "t3_new_received__natural_person", None, ""),
            _cell(DUP_FIRST, 1, "old_act_info_total", 645.0, "645"),
            _cell(DUP_LATER, 1, "old_act_info_total", 654.0, "654"),
        ],
        "narrative_facts": [
            {
                "report_sha256": OLD,
                "fact_no": 1,
                "fact": "active_items",
                "value": 30.0,
                "approx": True,
                "text": "主动公开信息30余条",
            },
        ],
        "issues": [
            {
                "report_sha256": V2019,
                "issue_no": 1,
                "code": "table_truncated",
                "severity": "warning",
                "message": "table 三 ends after row 6",
            },
            {
                "report_sha256": QUARANTINED,
                "issue_no": 1,
                "code": "not_a_report",
                "severity": "error",
                "message": "binary garbage",
            },
        ],
        "metric_dictionary": metric_dictionary_rows,
        "rule_dictionary": [
            {
                "rule_id": "v2019.t2.reg_published_le_total",
                "format_id": "v2019",
                "expr": "v19_t2_reg_new_published <= v19_t2_reg_total_published",
                "severity": "warning",
                "basis": "customary",
                "null_policy": "skip_if_any_null",
            },
        ],
    }


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
    make_warehouse: WarehouseFactory,
    raw_rows: dict[str, list[dict[str, Any]]],
) -> tuple[Path, DbtResult]:
    warehouse = make_warehouse(tmp_path_factory.mktemp("data") / "warehouse.duckdb", raw_rows)
    return warehouse, run_dbt_build(warehouse)


def query(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_build_succeeds_and_counts_nodes(built: tuple[Path, DbtResult]) -> None:
    warehouse, result = built
    assert result.success
    assert (result.failed, result.errored) == (0, 0)
    assert result.passed >= 80  # 13 models + data tests + unit test
    assert result.run_results_path.is_file()
    # artifacts go next to the warehouse, not into the repository's dbt_project/
    assert result.run_results_path.is_relative_to(warehouse.parent)


def test_dim_reports_has_one_row_per_version(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(warehouse, "select * from main.dim_reports")
    assert sorted(row["report_sha256"] for row in rows) == sorted(LANDED)
    by_sha = {row["report_sha256"]: row for row in rows}
    assert by_sha[OLD]["cell_count"] == 4
    assert by_sha[OLD]["blank_cell_count"] == 1
    assert by_sha[OLD]["narrative_fact_count"] == 1
    assert by_sha[OLD]["file_name"] == "taizhou-2017.html"
    assert by_sha[V2019]["format"] == "v2019"
    assert (by_sha[V2019]["issue_count"], by_sha[V2019]["error_issue_count"]) == (1, 0)


def test_superseded_version_is_flagged(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select report_sha256, agency_key, agency_name, is_current, is_superseded "
        "from main.dim_reports",
    )
    by_sha = {row["report_sha256"]: row for row in rows}
    assert (by_sha[DUP_FIRST]["is_current"], by_sha[DUP_FIRST]["is_superseded"]) == (False, True)
    assert (by_sha[DUP_LATER]["is_current"], by_sha[DUP_LATER]["is_superseded"]) == (True, False)
    assert by_sha[DUP_FIRST]["agency_key"] == by_sha[DUP_LATER]["agency_key"]
    assert by_sha[DUP_LATER]["agency_name"] == "六盘水市水库和生态移民局"
    others = [OLD, V2019, QUARANTINED]
    assert all(by_sha[key]["is_current"] and not by_sha[key]["is_superseded"] for key in others)
    cells = query(
        warehouse,
        f"select is_current_report from main.fct_report_cells where report_sha256 = '{DUP_FIRST}'",
    )
    assert cells == [{"is_current_report": False}]


def test_quarantined_file_maps_to_unknown_agency(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    [report] = query(
        warehouse, f"select * from main.dim_reports where report_sha256 = '{QUARANTINED}'"
    )
    assert report["status"] == "quarantined"
    assert report["agency_name"] == "(unknown)"
    assert (report["issue_count"], report["error_issue_count"], report["cell_count"]) == (1, 1, 0)
    [issue] = query(
        warehouse,
        "select i.code, i.severity from main.fct_extraction_issues as i "
        f"join main.dim_reports as r using (report_key) where r.report_sha256 = '{QUARANTINED}'",
    )
    assert issue == {"code": "not_a_report", "severity": "error"}


def test_dim_agencies(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(warehouse, "select * from main.dim_agencies")
    by_name = {row["agency_name"]: row for row in rows}
    assert set(by_name) == {
        "台州市经济和信息化委员会",
        "呼图壁县商务和工业信息化局",
        "六盘水市水库和生态移民局",
        "(unknown)",
    }
    liupanshui = by_name["六盘水市水库和生态移民局"]
    # one report in two versions; the 'unknown' level of the later version does not win
    assert (liupanshui["report_count"], liupanshui["report_version_count"]) == (1, 2)
    assert liupanshui["admin_level"] == "prefecture"
    assert by_name["(unknown)"]["admin_level"] == "unknown"


def test_blank_cell_is_null_and_zero_stays_zero(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select metric_code, value, is_blank, raw_text from main.fct_report_cells "
        f"where report_sha256 = '{OLD}' order by cell_no",
    )
    by_code = {row["metric_code"]: row for row in rows}
    blank = by_code["old_act_ndoc_published"]
    assert blank["value"] is None and blank["is_blank"] is True
    zero = by_code["old_app_received"]
    assert zero["value"] == 0 and zero["value"] is not None and zero["is_blank"] is False
    assert by_code["old_act_info_total"]["value"] == 426


def test_non_standard_cell_is_kept_without_metric(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select metric_key, metric_code, value, report_key, agency_key from main.fct_report_cells "
        f"where report_sha256 = '{OLD}' and cell_no = 4",
    )
    assert len(rows) == 1
    assert rows[0]["metric_key"] is None and rows[0]["metric_code"] is None
    assert rows[0]["value"] == 5
    assert rows[0]["report_key"] is not None and rows[0]["agency_key"] is not None
    [standard] = query(
        warehouse,
        "select c.metric_key = m.metric_key as matches from main.fct_report_cells as c "
        "join main.dim_metrics as m using (metric_code) "
        f"where c.report_sha256 = '{OLD}' and c.cell_no = 1",
    )
    assert standard["matches"] is True


def test_dim_metrics_has_one_row_per_code(
    built: tuple[Path, DbtResult], metric_dictionary_rows: list[dict[str, Any]]
) -> None:
    warehouse, _ = built
    rows = query(warehouse, "select * from main.dim_metrics")
    by_code = {row["metric_code"]: row for row in rows}
    assert len(rows) == len(by_code) == len({r["metric_code"] for r in metric_dictionary_rows})
    shared = by_code["t3_new_received__total"]
    assert shared["format_ids"] == "v2019,v2021"
    assert shared["table_no"] == 3 and shared["is_on_template"] is True
    header = by_code["old_s1_header_total"]
    assert (header["is_header_row"], header["is_on_template"]) == (True, False)
    assert by_code["old_act_info_total"]["parent_metric_code"] == "old_s1_header_total"


def test_narrative_facts(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select f.fact, f.value, f.is_approximate, f.report_year, f.sentence "
        "from main.fct_narrative_facts as f",
    )
    assert rows == [
        {
            "fact": "active_items",
            "value": 30,
            "is_approximate": True,
            "report_year": 2017,
            "sentence": "主动公开信息30余条",
        }
    ]
