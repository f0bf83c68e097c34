"""Rows as a degraded scan gives them (issue 26): a cell holding two figures ('0 2': its own
and a ruling's shadow read as 2), or a figure misread as text ('0' as '门', '2 二') among a
row's values. Such a row is reported column_ambiguous, its cells unread with the texts: no
value is read from a cell that holds two, and no value moves into its neighbour's column.
"""

from __future__ import annotations

from typing import Any

from xxgk.extract import extract_bytes
from xxgk.extract.values import parse_cell

HEAD = (
    "示例县统计局2022年政府信息公开工作年度报告\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "行政复议 | 行政诉讼 |\n"
    " |  |  |  | 计 | 未经复议直接起诉 | 复议后起诉 |\n"  # stacked headers OCR did not read
)
TAIL = "\n五、存在的主要问题及改进情况\n"
FIGURES = [str(n) for n in range(1, 16)]  # fifteen distinct values: a shift shows


def _table4(cells: list[str]) -> dict[str, Any]:
    text = HEAD + " | ".join(cells) + " |" + TAIL
    return extract_bytes(text.encode("utf-8"), "report.txt")


def _read(record: dict[str, Any]) -> dict[str, Any]:
    return {c["metric"]: c["value"] for c in record["cells"] if c["value"] is not None}


def test_table4_as_scanned_reads_every_value_in_its_column() -> None:
    read = _read(_table4(FIGURES))
    assert read["t4_review_upheld"] == 1 and read["t4_review_corrected"] == 2
    assert read["t4_lit_after_review_total"] == 15


def test_a_figure_misread_as_text_leaves_table4_unread_not_shifted() -> None:
    for stray in ("2 二", "门", "0 一项"):
        cells = [FIGURES[0], stray, *FIGURES[2:]]
        record = _table4(cells)
        assert _read(record) == {}, stray  # never 1 in 结果纠正's column
        issue = next(i for i in record["issues"] if i["code"] == "column_ambiguous")
        assert f"'{stray}' among its values" in issue["message"]
        unread = {u["metric"]: u for u in record["unread_cells"]}
        assert len(unread) == 15 and unread["t4_review_upheld"]["reason"] == "column_ambiguous"


def test_a_heading_beside_table4_values_is_not_a_stray() -> None:
    read = _read(_table4(["行政复议", *FIGURES]))
    assert read["t4_review_upheld"] == 1 and len(read) == 15


def test_a_cell_holding_two_figures_is_not_a_value() -> None:
    assert parse_cell("0 2").value is None and not parse_cell("0 2").is_number
    assert not parse_cell("0 0").is_number
    # a stray space inside one figure is still that figure
    assert parse_cell("1 234").value == 1234 and parse_cell("20 0").value == 200
    record = _table4([FIGURES[0], "0 2", *FIGURES[2:]])
    assert "t4_review_corrected" not in _read(record)
    assert _read(record) == {}  # the row's columns are not known either
