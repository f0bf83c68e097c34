"""Issue 26: older provincial statistics tables (2008–2013), one 年末统计 column.

Before the national table of 2014 each province printed its own: ``指标名称 / 计量单位``
with ``<year>年度 / 历年累计`` (Fujian, Putian 2009: SPEC §1, P-PUTIAN2009) or a single
``年末统计`` column, row labels varying by province. The fixtures are such a table as a
converted page prints it (after the appendix caption, on the caption's own line) and as a
table printed row by row. Its rows are the dictionary's ``year_end`` variant (metrics.yaml):
their own metrics, since 年末统计 is not said to be the year's figure or the running total;
a row the dictionary lacks keeps its figure without a code.
"""

from __future__ import annotations

from typing import Any

from xxgk.extract import extract_bytes
from xxgk.extract.detect import detect_format

HEAD = (
    "某县人民政府2010年政府信息公开工作年度报告\n一、概述\n"
    "2010年，我县认真贯彻落实《条例》，全年主动公开政府信息1200条。\n"
)
TABLE = (
    "附表：政府信息公开情况统计表（2010年度）。指标名称 计量单位 年末统计 主动公开信息数 条 1200 "
    "其中：政府网站 条 1100 政府公报 条 100 受理申请总数 件 3 答复总数 件 3 行政复议数 件 0 "
    "行政诉讼数 件 0\n"
)


def _extract(text: str) -> dict[str, Any]:
    return extract_bytes(text.encode("utf-8"), "report.txt")


def test_a_flattened_provincial_table_is_an_old_table_not_narrative() -> None:
    assert detect_format(HEAD + TABLE, 2010) == "old"
    # without the caption the 指标名称 / 计量单位 header still says so
    assert (
        detect_format(HEAD + TABLE.replace("政府信息公开情况统计表（2010年度）", ""), 2010) == "old"
    )


def test_prose_with_a_few_bare_figures_stays_narrative() -> None:
    text = HEAD + "全年受理申请3件，答复3件。按月分别为 1 0 0 1 0 1 件，均按期答复。\n"
    assert detect_format(text, 2010) == "narrative"


def test_its_one_year_end_column_is_read_under_its_own_metrics() -> None:
    rec = _extract(HEAD + TABLE)
    assert rec["format"] == "old" and rec["status"] == "ok"
    values = {c["metric"]: c["value"] for c in rec["cells"]}
    assert values == {
        "old_ye_act_docs": 1200,
        "old_ye_act_website": 1100,
        "old_ye_act_gazette": 100,
        "old_ye_app_received": 3,
        "old_ye_answered": 3,
        "old_ye_review_total": 0,
        "old_ye_lit_total": 0,
    }
    assert {c["column_label"] for c in rec["cells"]} == {"年末统计"}
    codes = [i["code"] for i in rec["issues"]]
    assert "table_truncated" not in codes and "report_incomplete" not in codes
    assert not [c for c in rec["coverage"] if c["truncated"] or c["absent_metrics"]]


def test_a_year_end_figure_is_neither_the_years_nor_the_running_total() -> None:
    """年末统计 does not say which it is: no conformed measure reads it (a year's measure
    would double a running total), and it is never the <year>年度 / 历年累计 rows'."""
    from xxgk.dictionary.measures import MEASURES

    sources = {c for m in MEASURES for s in m.sources.values() for c in s.codes}
    assert not {c for c in sources if c.startswith("old_ye_")}
    rec = _extract(HEAD + TABLE)
    assert not [c for c in rec["cells"] if c["metric"].startswith(("old_yc_", "old_act_"))]


PIPED = (
    "某市人民政府2011年政府信息公开工作年度报告\n"
    "一、概述\n2011年全市政府信息公开工作有序推进。\n"
    "附表：政府信息公开情况统计表\n"
    "指标名称 | 计量单位 | 年末统计\n"
    "主动公开信息数 | 条 | 865\n"
    "其中：通过政府网站公开 | 条 | 812\n"
    "通过政府公报公开 | 条 | 53\n"
    "受理政府信息公开申请总数 | 件 | 12\n"
    "答复总数 | 件 | 12\n"
    "其中：同意公开 | 件 | 9\n"
    "同意部分公开 | 件 | 1\n"
    "不予公开 | 件 | 2\n"
    "依申请公开答复率 | % | 100\n"
    "行政复议数 | 件 | 0\n"
    "行政诉讼数 | 件 | 0\n"
    "行政申诉数 | 件 | 1\n"
    "二、存在的问题\n个别单位更新不及时。\n"
)


def test_a_year_end_table_printed_row_by_row_with_a_row_the_dictionary_lacks() -> None:
    rec = _extract(PIPED)
    assert rec["format"] == "old" and rec["status"] == "ok"
    values = {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}
    assert values["old_ye_act_docs"] == 865 and values["old_ye_act_website"] == 812
    assert values["old_ye_act_gazette"] == 53 and values["old_ye_app_received"] == 12
    assert (values["old_ye_ans_granted"], values["old_ye_ans_partial"]) == (9, 1)
    assert values["old_ye_ans_denied"] == 2 and values["old_ye_complaints"] == 1
    # a row of this province's own keeps its figure, without a metric code
    (rate,) = [c for c in rec["cells"] if c["metric"] is None]
    assert "依申请公开答复率" in rate["row_label"] and rate["value"] == 100


def test_the_year_end_rules_hold_on_a_table_that_balances() -> None:
    from xxgk.dictionary.rules import evaluate_rule, load_rules

    rec = _extract(PIPED)
    values = {(c["metric"], False): c["value"] for c in rec["cells"] if c["metric"]}
    rules = [r for r in load_rules()["old"] if r.rule_id.startswith("old.ye.")]
    assert {r.rule_id for r in rules} == {"old.ye.subset_channels", "old.ye.answered_parts"}
    assert all(evaluate_rule(r, values, has_previous=False).outcome == "passed" for r in rules)
    values[("old_ye_act_website", False)] = 900.0  # more on the website than in all
    (subset,) = [r for r in rules if r.rule_id == "old.ye.subset_channels"]
    assert evaluate_rule(subset, values, has_previous=False).outcome == "failed"
