"""Issue 26: flip-book and print exports, whose page furniture falls inside the tables.

The fixture is table 四 as a flip-book viewer's text layer prints it (the pattern of the
unseen reports the issue measured: ``Page 9 - 2020年报_审计局`` and ``P. 9`` at each page
break, the header one character per line), after the 2020 sample report's table 三 tail.
"""

from __future__ import annotations

from typing import Any

from xxgk.extract import extract_bytes
from xxgk.extract.chrome import strip_chrome

HEAD = (
    "审计局2020年政府信息公开工作年度报告\n"
    "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n"
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
    "申请人情况\n自然人\n法人或其他组织\n总计\n商业企业\n科研机构\n社会公益组织\n"
    "法律服务机构\n其他\n"
    "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
    "三、本年度办理结果\n"
    "（一）予以公开 1 0 0 0 0 0 1\n"
    "（七）总计 1 0 0 0 0 0 1\n"
)
PAGE = "Page 9 - 2020年报_审计局\n"
T4_STACKED = (
    "四、结转下年度继续办理 0 0 0 0 0 0 0\n"
    + PAGE
    + "四、政府信息公开行政复议、行政诉讼情况\n"
    + "\n".join("行政复议结果维持结果纠正其他结果尚未审结总计")
    + "\nP. 9\n"
    + "\n".join("行政诉讼未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计")
    + "\n"
    + "\n".join("结果维持结果纠正其他结果尚未审结总计")
    + "\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    + "Page 10 - 2020年报_审计局\n"
    + "五、存在的主要问题及改进情况\n工作中仍存在不足。\n"
)


def _extract(text: str) -> dict[str, Any]:
    return extract_bytes(text.encode("utf-8"), "flipbook.txt")


def _values(rec: dict[str, Any]) -> dict[str, Any]:
    return {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}


def test_flip_book_page_furniture_inside_table_four_is_not_a_cell() -> None:
    rec = _extract(HEAD + T4_STACKED)
    values = _values(rec)
    t4 = [k for k in values if k.startswith("t4_")]
    assert len(t4) == 15 and {values[k] for k in t4} == {0}
    assert [values[f"t3_carried_forward__{c}"] for c in ("natural_person", "total")] == [0, 0]
    assert not [i for i in rec["issues"] if i["code"] == "column_ambiguous"]


def test_the_flip_book_line_still_names_the_publisher() -> None:
    rec = _extract(PAGE + HEAD + T4_STACKED)
    assert rec["agency"] and "审计局" in rec["agency"]


def test_only_page_furniture_and_running_titles_are_removed() -> None:
    title = "某县审计局2020年政府信息公开工作年度报告"
    lines = [
        title,
        "Page 3 - 2020年报_审计局",
        "P. 3",
        "第 3 页 共 12 页",
        "- 3 -",
        "9",
        "（一）予以公开 1 0 0 0 0 0 1",
        "本报告所列数据的统计期限自2020年1月1日起。",
        title,
        "其他",
        title,
    ]
    kept = strip_chrome(lines)
    assert kept == [
        "9",
        "（一）予以公开 1 0 0 0 0 0 1",
        "本报告所列数据的统计期限自2020年1月1日起。",
        "其他",
    ]
    plain = ["一、总体情况", "0 |", "0 |", "0 |"]
    assert strip_chrome(plain) is plain  # nothing to remove: the list itself comes back


def test_furniture_run_into_a_line_of_text_goes_and_the_text_stays() -> None:
    lines = ["Page 9 - 2020年报_审计局 四、政府信息公开行政复议、行政诉讼情况", "P. 9 0 0 0 0 0"]
    assert strip_chrome(lines) == ["四、政府信息公开行政复议、行政诉讼情况", "0 0 0 0 0"]
    tail = ["0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 P. 9", "结果维持 Page 9 - 2020年报_审计局"]
    assert strip_chrome(tail) == ["0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "结果维持"]
    # a label that merely starts like furniture stays whole
    assert strip_chrome(["Page 9 of the annual report"]) == ["Page 9 of the annual report"]
