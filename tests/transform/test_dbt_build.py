"""`dbt build` on a small realistic warehouse: versions, blanks, zeros, quarantine."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from xxgk.transform.dbt import DbtResult, run_dbt_build

pytestmark = pytest.mark.integration

WarehouseFactory = Callable[..., Path]


def sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


OLD = sha("taizhou-2017.html")  # old format: a blank cell, a 0 cell, a non-standard row
V2019 = sha("hutubi-2020.pdf")  # v2019 format, one warning issue
DUP_FIRST = sha("liupanshui-2016-a.html")  # two versions of one (agency, year) report
DUP_LATER = sha("liupanshui-2016-b.html")
QUARANTINED = sha("garbage.pdf")  # unreadable: no agency, no year, one error issue
AGGREGATE = sha("hutubi-county-2020.html")  # a county's 汇总 report: flagged, never summed
AGGREGATE_2018 = sha("hutubi-county-2018.html")  # its text says 汇总 too
SILENT_2019 = sha("hutubi-county-2019.html")  # its text does not say: aggregate like the others

LANDED = {
    OLD: ("2017/taizhou-2017.html", datetime(2018, 1, 20, 8, 0)),
    V2019: ("2020/hutubi-2020.pdf", datetime(2021, 1, 25, 8, 0)),
    DUP_FIRST: ("2016/liupanshui-2016-a.html", datetime(2017, 2, 20, 8, 0)),
    DUP_LATER: ("2016/liupanshui-2016-b.html", datetime(2017, 3, 1, 8, 0)),
    QUARANTINED: ("2020/garbage.pdf", datetime(2021, 2, 1, 8, 0)),
    AGGREGATE: ("2020/hutubi-county-2020.html", datetime(2021, 2, 2, 8, 0)),
    AGGREGATE_2018: ("2018/hutubi-county-2018.html", datetime(2019, 2, 2, 8, 0)),
    SILENT_2019: ("2019/hutubi-county-2019.html", datetime(2020, 2, 2, 8, 0)),
}
# the same bytes as OLD under another path, landed before it: a copy, not a report
OLD_COPY = ("2017/copies/taizhou-2017 (1).html", datetime(2018, 1, 19, 8, 0))


def _report(
    key: str,
    status: str,
    fmt: str,
    year: int | None,
    agency: str | None,
    level: str,
    **metadata: Any,
) -> dict[str, Any]:
    return {
        **metadata,
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


def _v2019_coverage() -> list[dict[str, Any]]:
    """V2019's tables as a copy cut after table 三's first row holds them (as extracted)."""
    from xxgk.dictionary.metrics import table_spec

    def codes(table_no: int, skip: int = 0) -> list[str]:
        return [m.code for r in table_spec("v2019", table_no).rows[skip:] for m in r.metrics]

    return [
        {"report_sha256": V2019, "table_no": 2, "is_present": True, "is_truncated": False,
         "rows_expected": 8, "rows_printed": 8, "cells_expected": 22, "absent_metrics": []},
        {"report_sha256": V2019, "table_no": 3, "is_present": True, "is_truncated": True,
         "rows_expected": 23, "rows_printed": 1, "last_row": "new_received",
         "last_row_label": "一、本年新收政府信息公开申请数量", "cells_expected": 7,
         "absent_metrics": codes(3, skip=1),
         "reason": "table 三 cut after row 1 ('一、本年新收政府信息公开申请数量')"},
        {"report_sha256": V2019, "table_no": 4, "is_present": False, "is_truncated": False,
         "rows_expected": 1, "rows_printed": 0, "cells_expected": 0,
         "absent_metrics": codes(4), "reason": "table 四 not in the copy (it ends in table 三)"},
    ]  # fmt: skip


@pytest.fixture(scope="module")
def raw_rows() -> dict[str, list[dict[str, Any]]]:
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
            for key, (source_path, landed_at) in [*LANDED.items(), (OLD, OLD_COPY)]
        ],
        "reports": [
            _report(
                OLD,
                "ok",
                "old",
                2017,
                "台州市经济和信息化委员会",
                "prefecture",
                title="台州市经信委2017年度政务信息公开工作总结",
                agency_org_code="002668274",
                body_type="department",
                report_scope="own",
                container="html",
                period_start=date(2017, 1, 1),
                period_end=date(2017, 12, 31),
            ),
            _report(  # a copy cut in table 三 after its first row, one cell unread
                V2019,
                "partial",
                "v2019",
                2020,
                "呼图壁县商务和工业信息化局",
                "county",
                region_code="652323",
                region_signal="name",
                region_snippet="呼图壁县商务和工业信息化局",
                report_scope="own",
            ),
            _report(
                AGGREGATE,
                "ok",
                "v2019",
                2020,
                "呼图壁县人民政府",
                "county",
                body_type="people_government",
                report_scope="aggregate",
            ),
            *(
                _report(
                    key,
                    "ok",
                    "v2019",
                    year,
                    "呼图壁县人民政府",
                    "county",
                    body_type="people_government",
                    report_scope=scope,
                    scope_evidence=evidence,
                    agency_compiler=compiler,
                )
                for key, year, scope, evidence, compiler in [
                    (AGGREGATE_2018, 2018, "aggregate", "综合了各部门", None),
                    (SILENT_2019, 2019, "own", None, "呼图壁县人民政府办公室"),
                ]
            ),
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
            _cell(AGGREGATE, 1, "t3_new_received__total", 120.0, "120"),
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
        "table_coverage": _v2019_coverage(),
        "unread_cells": [
            {
                "report_sha256": V2019,
                "unread_no": 1,
                "table_no": 3,
                "row_no": 1,
                "column_no": 2,
                "metric": "t3_new_received__org_commercial",
                "row_label": "一、本年新收政府信息公开申请数量",
                "column_label": "商业企业",
                "locator": "table 3, row 1, column 2",
                "raw": "0 1",
                "reason": "column_ambiguous",
                "candidates": [0.0, 1.0],
            }
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
    others = [OLD, V2019, QUARANTINED, AGGREGATE]
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
        "呼图壁县人民政府",
        "六盘水市水库和生态移民局",
        f"(unknown) garbage.pdf #{QUARANTINED[:8]}",  # an unknown agency is its report's own
    }
    liupanshui = by_name["六盘水市水库和生态移民局"]
    # one report in two versions; the 'unknown' level of the later version does not win
    assert (liupanshui["report_count"], liupanshui["report_version_count"]) == (1, 2)
    assert liupanshui["admin_level"] == "prefecture"
    unknown = by_name[f"(unknown) garbage.pdf #{QUARANTINED[:8]}"]
    assert (unknown["admin_level"], unknown["is_unknown"]) == ("unknown", True)
    assert unknown["agency_id"] == f"unknown:{QUARANTINED}"


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


def test_cells_read_from_a_text_layer_have_no_ocr_confidence(
    built: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select count(*) as cells, count(ocr_confidence) as with_confidence "
        "from main.fct_report_cells",
    )
    assert rows[0]["cells"] > 0 and rows[0]["with_confidence"] == 0


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


def test_dim_reports_carries_the_report_metadata(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    [old] = query(warehouse, f"select * from main.dim_reports where report_sha256 = '{OLD}'")
    assert old["title"] == "台州市经信委2017年度政务信息公开工作总结"
    assert (old["agency_org_code"], old["body_type"], old["container"]) == (
        "002668274",
        "department",
        "html",
    )
    assert (old["period_start"], old["period_end"]) == (date(2017, 1, 1), date(2017, 12, 31))
    assert (old["report_scope"], old["is_aggregate"]) == ("own", False)
    [aggregate] = query(
        warehouse, f"select * from main.dim_reports where report_sha256 = '{AGGREGATE}'"
    )
    assert (aggregate["report_scope"], aggregate["is_aggregate"]) == ("aggregate", True)
    assert aggregate["is_current"] is True
    # who compiled it and what placed its region (issue 27), as the extractor recorded them
    [v2019] = query(warehouse, f"select * from main.dim_reports where report_sha256 = '{V2019}'")
    assert (v2019["region_signal"], v2019["region_snippet"], v2019["agency_compiler"]) == (
        "name",
        "呼图壁县商务和工业信息化局",
        None,
    )
    [silent] = query(
        warehouse, f"select * from main.dim_reports where report_sha256 = '{SILENT_2019}'"
    )
    assert silent["agency_compiler"] == "呼图壁县人民政府办公室"
    assert (silent["region_signal"], silent["region_snippet"]) == (None, None)


def test_dim_agencies_attributes(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(warehouse, "select * from main.dim_agencies")
    by_name = {row["agency_name"]: row for row in rows}
    taizhou = by_name["台州市经济和信息化委员会"]
    assert (taizhou["agency_id"], taizhou["organisation_code"]) == ("org:002668274", "002668274")
    # no extracted region: found from the name's prefix 台州市
    assert (taizhou["region_code"], taizhou["region_code_source"]) == ("331000", "name_match")
    hutubi = by_name["呼图壁县商务和工业信息化局"]
    assert (hutubi["region_code"], hutubi["region_code_source"]) == ("652323", "extracted")
    county = by_name["呼图壁县人民政府"]
    # 2018 and 2020 say 汇总; 2019 does not, and is aggregate like the county's other years
    assert (county["body_type"], county["aggregate_report_count"]) == ("people_government", 3)
    [region] = query(
        warehouse,
        "select r.province_name, r.prefecture_name, r.county_name, r.region_level "
        "from main.dim_agencies as a join main.dim_regions as r using (region_key) "
        "where a.agency_name = '呼图壁县商务和工业信息化局'",
    )
    assert region == {
        "province_name": "新疆维吾尔自治区",
        "prefecture_name": "昌吉回族自治州",
        "county_name": "呼图壁县",
        "region_level": "county",
    }


def test_cells_carry_applicant_type_and_format(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select c.metric_code, a.applicant_type_id, f.format_id, c.is_aggregate_report "
        "from main.fct_report_cells as c "
        "join main.dim_applicant_types as a using (applicant_type_key) "
        "join main.dim_formats as f using (format_key) "
        f"where c.report_sha256 in ('{V2019}', '{OLD}') order by c.report_sha256, c.cell_no",
    )
    by_code = {row["metric_code"]: row for row in rows}
    assert by_code["t3_new_received__natural_person"]["applicant_type_id"] == "natural_person"
    assert by_code["t3_new_received__total"]["applicant_type_id"] == "total"
    assert by_code["old_act_info_total"]["applicant_type_id"] == "not_applicable"
    assert by_code[None]["applicant_type_id"] == "not_applicable"  # non-standard row
    assert by_code["old_app_received"]["format_id"] == "old"
    assert by_code["t3_new_received__total"]["format_id"] == "v2019"
    assert not any(row["is_aggregate_report"] for row in rows)


def test_agency_year_measures_exclude_aggregates_and_keep_zero(
    built: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select a.agency_name, m.report_year, m.format_id, m.applications_received, "
        "m.applications_carried_over, m.proactive_disclosures "
        "from main.fct_agency_year_measures as m join main.dim_agencies as a using (agency_key)",
    )
    by_name = {row["agency_name"]: row for row in rows}
    assert "呼图壁县人民政府" not in by_name  # the aggregate report is left out
    assert "(unknown)" not in by_name
    # old and v2019 in one column; reported zeros stay 0
    assert by_name["台州市经济和信息化委员会"]["applications_received"] == 0
    assert by_name["呼图壁县商务和工业信息化局"]["applications_received"] == 0
    # no carry-over row in the old table: NULL, not 0; no table-二 total in v2019: NULL
    assert by_name["台州市经济和信息化委员会"]["applications_carried_over"] is None
    assert by_name["呼图壁县商务和工业信息化局"]["proactive_disclosures"] is None
    assert by_name["台州市经济和信息化委员会"]["proactive_disclosures"] == 426
    # the superseded version's 645 is not used: the current one says 654
    assert by_name["六盘水市水库和生态移民局"]["proactive_disclosures"] == 654
    assert len(rows) == 3


def test_completeness_and_unread_cells_reach_the_marts(built: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built
    (report,) = query(warehouse, f"select * from main.dim_reports where report_sha256 = '{V2019}'")
    assert report["status"] == "partial"
    assert (report["cells_expected"], report["cells_read"], report["cells_unread"]) == (29, 2, 1)
    assert (report["tables_cut"], report["tables_missing"]) == (1, 1)
    assert report["coverage_note"].startswith("table 三 cut after row 1 ")
    (old,) = query(warehouse, f"select * from main.dim_reports where report_sha256 = '{OLD}'")
    assert (old["cells_unread"], old["tables_cut"], old["coverage_note"]) == (0, 0, None)
    (unread,) = query(warehouse, "select * from main.fct_unread_cells")
    assert unread["report_sha256"] == V2019 and unread["unread_cell_id"]
    assert unread["candidates"] == [0.0, 1.0] and unread["raw_text"] == "0 1"
    assert unread["source_path"] == "2020/hutubi-2020.pdf"
    assert unread["locator"] == "table 3, row 1, column 2" and unread["is_value_unassigned"]


def test_a_rule_needing_a_cut_or_unread_cell_is_not_assessable(
    built: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select rule_id, outcome, outcome_reason, message_en from main.fct_rule_results "
        f"join main.dim_reports using (report_key) where report_sha256 = '{V2019}'",
    )
    by_rule = {row["rule_id"]: row for row in rows}
    # 0 new applications printed, the rest of the balance cut away: not 0 == 0, passed
    balance = by_rule["v2019.t3.balance.total"]
    assert (balance["outcome"], balance["outcome_reason"]) == ("not_assessable", "operand_absent")
    assert "table 三 cut after row 1" in balance["message_en"]
    row_total = by_rule["v2019.t3.row_total.new_received"]
    assert (row_total["outcome"], row_total["outcome_reason"]) == (
        "not_assessable",
        "operand_unread",
    )
    assert "table 3, row 1, column 2" in row_total["message_en"]
    assert not [r for r in rows if r["outcome"] == "failed" and "t3" in r["rule_id"]]


def test_a_byte_identical_copy_is_listed_with_the_file_it_duplicates(
    built: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built
    (copy,) = query(warehouse, "select * from main.fct_duplicate_files")
    assert copy["duplicate_kind"] == "identical_bytes"
    assert (copy["source_path"], copy["duplicate_of_path"]) == (OLD_COPY[0], LANDED[OLD][0])
    assert copy["report_sha256"] == copy["duplicate_of_sha256"] == OLD


def test_the_aggregate_flag_is_decided_per_report_with_its_reason(
    built: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built
    rows = query(
        warehouse,
        "select report_sha256, report_scope, report_scope_as_read, scope_reason, "
        "scope_evidence, is_aggregate from main.dim_reports "
        f"where report_sha256 in ('{AGGREGATE_2018}', '{SILENT_2019}', '{OLD}')",
    )
    by_sha = {row["report_sha256"]: row for row in rows}
    assert by_sha[AGGREGATE_2018]["scope_reason"] == "text"
    assert by_sha[AGGREGATE_2018]["scope_evidence"] == "综合了各部门"
    silent = by_sha[SILENT_2019]
    assert (silent["report_scope_as_read"], silent["report_scope"]) == ("own", "aggregate")
    assert silent["is_aggregate"] and silent["scope_reason"] == "agency_years"
    assert silent["scope_evidence"] == "aggregate in 2 of the agency's 3 years (2018, 2020)"
    assert by_sha[OLD]["scope_reason"] == "no_aggregate_text" and not by_sha[OLD]["is_aggregate"]
    measures = query(
        warehouse,
        "select report_year from main.fct_agency_year_measures as m "
        "join main.dim_agencies as a using (agency_key) where a.agency_name = '呼图壁县人民政府'",
    )
    assert measures == []  # none of the county's 汇总 years is added to its own measures
