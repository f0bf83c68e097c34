"""Issue 26: older provincial statistics tables (2008–2013), flattened into a line of prose.

Before the national table of 2014 each province printed its own: ``指标名称 / 计量单位``
with ``<year>年度 / 历年累计`` (Fujian, Putian 2009: SPEC §1, P-PUTIAN2009) or a single
``年末统计`` column, row labels varying by province. The fixture is such a table as a
converted page prints it: after the appendix caption, on the caption's own line.
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


def test_its_rows_are_kept_without_codes_and_the_table_is_not_called_cut() -> None:
    rec = _extract(HEAD + TABLE)
    # partial: none of its figures has a metric code (report_incomplete), but not a cut copy
    assert rec["format"] == "old" and rec["status"] == "partial"
    rows = {c["row_label"].split()[-1]: c["value"] for c in rec["cells"]}
    assert rows["主动公开信息数"] == 1200 and rows["受理申请总数"] == 3
    assert all(c["metric"] is None for c in rec["cells"])  # the dictionary lacks the layout
    codes = [i["code"] for i in rec["issues"]]
    assert "table_layout_unknown" in codes and "table_truncated" not in codes
    assert "report_incomplete" in codes
    assert not [c for c in rec["coverage"] if c["truncated"]]
