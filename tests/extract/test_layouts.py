"""Layouts seen in real copies, written out here so each behaviour is pinned by a test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xxgk.extract import extract_bytes

HEAD = (
    "某县统计局2022年政府信息公开工作年度报告\n"
    "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n"
)
NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"


def _extract(body: str) -> dict[str, Any]:
    return extract_bytes((HEAD + body).encode("utf-8"), "layout.txt")


def _values(rec: dict[str, Any]) -> dict[str, Any]:
    return {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}


def test_pdf_text_rows_with_labels_wrapped_and_headers_split_per_character() -> None:
    rec = _extract(
        "三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项\n"
        "加第四项之和)\n申请人情况\n自\n然\n人\n法人或其他组织\n总计\n商业\n企业\n"
        "一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6\n"
        "(二)部分公开(区分处理的,只计这一情\n形,不计其他情形) 1 0 0 0 0 0 1\n"
        "1.申请人无正当理由逾期不补正、行政机关不再\n处理其政府信息公开申请 2 0 0 0 0 0 2\n"
        "2.申请人逾期未按收费通知要求缴纳费用、\n行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计\n"
        "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n"
    )
    values = _values(rec)
    assert rec["format"] == "v2021"
    assert values["t3_new_received__natural_person"] == 5
    assert values["t3_new_received__total"] == 6
    assert values["t3_res_partial__total"] == 1
    assert values["t3_res_other_no_correction__total"] == 2
    assert values["t3_res_other_fee_unpaid__total"] == 0
    assert (values["t4_review_upheld"], values["t4_review_total"]) == (1, 1)
    assert not [c for c in rec["cells"] if c["metric"] is None]


def test_collapsed_blanks_are_not_shifted_into_the_wrong_column() -> None:
    rec = _extract(
        "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n"
        "本年制发件数\n本年废止件数\n现行有效件数\n"
        "规章\n0\n行政规范性文件\n2\n1\n15\n第二十条第(五)项\n"
    )
    values = _values(rec)
    assert "v21_t2_reg_issued" not in values  # one value for three columns: position unknown
    assert (values["v21_t2_ndoc_issued"], values["v21_t2_ndoc_in_force"]) == (2, 15)
    ambiguous = [i for i in rec["issues"] if i["code"] == "column_ambiguous"]
    assert len(ambiguous) == 1 and "规章" in ambiguous[0]["message"]


def test_pipe_row_keeps_blank_positions_and_signed_units() -> None:
    rec = _extract(
        "二、主动公开政府信息情况\n第二十条第(五)项 | | | |\n"
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
        "行政许可 | 16 | 增3 | |\n其他对外管理服务事项 | | --2 | 889 |\n第二十条第(九)项 | | |\n"
        "信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 9 | 251000元 |\n"
        f"三、收到和处理政府信息公开申请情况\n{NOTE}\n"
    )
    values = _values(rec)
    assert rec["format"] == "v2019"
    assert (values["v19_t2_license_prev_items"], values["v19_t2_license_change"]) == (16, 3)
    assert values["v19_t2_license_decisions"] is None  # blank, not 0
    assert values["v19_t2_othersvc_prev_items"] is None
    assert values["v19_t2_othersvc_change"] == -2
    assert values["v19_t2_procurement_amount"] == 25.1  # 251000元 → 万元
    raw = {c["metric"]: c["raw"] for c in rec["cells"] if c["metric"]}
    assert raw["v19_t2_procurement_amount"] == "251000元"


def test_truncated_pipe_row_yields_the_cells_that_are_there() -> None:
    rec = _extract(
        f"三、收到和处理政府信息公开申请情况\n{NOTE} |\n"
        "申请人情况 |\n一、本年新收政府信息公开申请数量 |\n0 |\n1 |\n0 |\n0 |\n0 |\n0 |\n1 |\n"
        "二、上年结转政府信息公开申请数量 |\n2 |\n0 |\n"
    )
    values = _values(rec)
    assert values["t3_new_received__org_commercial"] == 1
    assert values["t3_carried_over__natural_person"] == 2
    assert values["t3_carried_over__org_commercial"] == 0
    assert "t3_carried_over__org_research" not in values
    truncated = [i for i in rec["issues"] if i["code"] == "table_truncated"]
    assert [i["severity"] for i in truncated] == ["error"]
    assert rec["status"] == "partial"  # what was read is kept; the report is not whole


def test_a_form_published_unfilled_is_partial_not_ok() -> None:
    rec = _extract(
        "二、主动公开政府信息情况\n第二十条第(一)项 |\n"
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "规章 | | | |\n行政规范性文件 | | | |\n"
        f"三、收到和处理政府信息公开申请情况\n{NOTE}\n"
    )
    assert rec["cells"] and all(c["value"] is None for c in rec["cells"])
    blank = [i for i in rec["issues"] if i["code"] == "tables_blank"]
    assert (
        len(blank) == 1 and blank[0]["message"] == f"all {len(rec['cells'])} table cells are blank"
    )
    assert rec["status"] == "partial"


def test_a_filled_form_with_blank_cells_stays_ok() -> None:
    rec = _extract(
        "二、主动公开政府信息情况\n第二十条第(一)项 |\n"
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "规章 | 0 | | |\n行政规范性文件 | | | |\n"
        f"三、收到和处理政府信息公开申请情况\n{NOTE}\n"
    )
    assert not [i for i in rec["issues"] if i["code"] == "tables_blank"]


def test_traditional_script_and_full_width_digits() -> None:
    rec = _extract(
        "二、主動公開政府信息情況\n第二十條第(一)項 |\n"
        "信息內容 | 本年製發件數 | 本年廢止件數 | 現行有效件數 |\n"
        "規章 | ０ | ０ | ０ |\n行政規範性文件 | １２ | 〇 | 三十 |\n"
    )
    values = _values(rec)
    assert rec["format"] == "v2021"
    assert (values["v21_t2_ndoc_issued"], values["v21_t2_ndoc_repealed"]) == (12, 0)
    assert values["v21_t2_ndoc_in_force"] == 30


def test_markdown_pipe_table_with_separator_rows_and_heading_markup() -> None:
    text = (
        "# 某某区人民政府2021年政府信息公开工作年度报告\n\n"
        "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n\n"
        "## 二、主动公开政府信息情况\n\n| 第二十条第（一）项 | | | |\n|---|---|---|---|\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 0 | 0 | 0 |\n"
        "| 行政规范性文件 | 5 | 2 | 40 |\n| **第二十条第（五）项** | | | |\n"
        "| 行政许可 | 1,234 | | |\n| 行政强制 | — | | |\n"
    )
    rec = extract_bytes(text.encode("utf-8"), "report.md")
    values = _values(rec)
    assert rec["agency"] == "某某区人民政府"
    assert (values["v21_t2_ndoc_issued"], values["v21_t2_ndoc_in_force"]) == (5, 40)
    assert values["v21_t2_license_decisions"] == 1234
    assert values["v21_t2_coercion_decisions"] is None


def test_a_file_over_the_size_limit_is_quarantined_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xxgk.extract import extract_file

    monkeypatch.setenv("XXGK_MAX_BYTES", "1000")
    monkeypatch.setenv("XXGK_MAX_TEXT_BYTES", "1000")
    big = tmp_path / "big.html"
    big.write_bytes(b"<html>" + b" " * 5000 + b"</html>")
    rec = extract_file(big)
    assert rec["status"] == "quarantined"
    assert [i["code"] for i in rec["issues"]] == ["too_large"]
    assert rec["sha256"] and len(rec["sha256"]) == 64
