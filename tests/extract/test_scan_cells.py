"""Rows as a degraded scan gives them (issue 26): a cell holding two figures ('0 2', '12、1':
its own and a ruling's shadow read as a digit), or a figure misread as text ('0' as '门',
'2 二') among a row's values. Such a row is reported column_ambiguous, its cells unread with
the texts: no value is read from a cell that holds two, and no value moves into its
neighbour's column.
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
    # thousands set apart by a blank, or a number wrapped in a narrow cell, are one figure
    assert parse_cell("1 234").value == 1234 and parse_cell("24252.3110 82").value == 24252.311082
    record = _table4([FIGURES[0], "0 2", *FIGURES[2:]])
    assert "t4_review_corrected" not in _read(record)
    assert _read(record) == {}  # the row's columns are not known either


# --- a cell the arithmetic rejects is read again ---------------------------------------------

SAMPLE = "2021/shilishi-tongjiju.html"  # its 自然人 applications: 48, of a total of 54


def _scanned_cells() -> list[dict[str, Any]]:
    """The 2021 sample's cells as if read by OCR, each with a confidence and a page box."""
    import json

    from tests.conftest import REPO

    expected = json.loads((REPO / "samples" / "expected.json").read_text(encoding="utf-8"))
    return [
        {
            "metric": code,
            "value": value,
            "raw": "" if value is None else str(value),
            "confidence": 0.99,
            "row_label": code.partition("__")[0],
            "column_label": code.partition("__")[2],
            "locator": f"table 3, row 1, column {n}, page 1, box 1 2 3 4",
        }
        for n, (code, value) in enumerate(expected["reports"][SAMPLE]["cells"].items())
        if not isinstance(value, float)
    ]


def _lost_digit() -> tuple[list[dict[str, Any]], dict[str, Any], dict[int, Any]]:
    """48 read as '4' (a digit lost in a JPEG: no one-digit change gives 48 back)."""
    from xxgk.decode.document import OcrCell

    cells = _scanned_cells()
    cell = next(c for c in cells if c["metric"] == "t3_new_received__natural_person")
    assert cell["value"] == 48
    cell["raw"], cell["value"], cell["confidence"] = "4", 4, 0.62
    crop = object()  # what the page showed; the fake engine below reads it
    return cells, cell, {id(cell): OcrCell("4", 0.62, 1, (1, 2, 3, 4), crop)}


def test_a_cell_the_arithmetic_rejects_is_read_again_and_corrected() -> None:
    from xxgk.extract.ocr_check import OCR_CORRECTED, check

    cells, cell, pairs = _lost_digit()
    asked: list[int] = []

    def read_again(crops: list[Any]) -> list[list[tuple[str, float]]]:
        asked.append(len(crops))
        return [[("48", 0.93), ("4B", 0.4)]]

    issues = check(cells, "v2021", None, pairs, read_again)
    assert asked == [1]  # the one low-confidence cell the failing rules name
    (fixed,) = [i for i in issues if i.code == OCR_CORRECTED]
    assert "read '4'" in fixed.message and "read again from the page" in fixed.message
    assert (cell["raw"], cell["value"]) == ("48", 48)


def test_a_reading_again_that_the_arithmetic_does_not_confirm_changes_nothing() -> None:
    from xxgk.extract.ocr_check import OCR_CORRECTED, OCR_UNVERIFIED, check

    cells, cell, pairs = _lost_digit()
    issues = check(cells, "v2021", None, pairs, lambda crops: [[("47", 0.95)]])
    assert not any(i.code == OCR_CORRECTED for i in issues)
    assert (cell["raw"], cell["value"]) == ("4", 4)  # what was read, flagged
    assert "'4' (0.62)" in next(i for i in issues if i.code == OCR_UNVERIFIED).message
    # without its crop (a text layer's cell, a picture no longer at hand) nothing is read
    issues = check(cells, "v2021", None, {}, lambda crops: [[("48", 0.95)]] * len(crops))
    assert not any(i.code == OCR_CORRECTED for i in issues)


def test_two_cells_misread_in_one_row_are_not_guessed() -> None:
    from xxgk.decode.document import OcrCell
    from xxgk.extract.ocr_check import OCR_CORRECTED, check

    cells, cell, pairs = _lost_digit()
    total = next(c for c in cells if c["metric"] == "t3_new_received__total")
    total["raw"], total["value"], total["confidence"] = "5", 5, 0.6  # 54 read as '5'
    pairs[id(total)] = OcrCell("5", 0.6, 1, (1, 2, 3, 4), object())
    # read again as 48 and 54 the table balances, but only with both changed: one cell is
    # corrected at a time, when its change alone makes every failing rule hold
    issues = check(cells, "v2021", None, pairs, lambda crops: [[("48", 0.9)], [("54", 0.9)]])
    assert not any(i.code == OCR_CORRECTED for i in issues)
    assert (cell["value"], total["value"]) == (4, 5)


def test_no_correction_leans_on_a_row_left_unread() -> None:
    """An unread row counts as blank in the rules: a misread elsewhere may then balance the
    table by chance. Here 1.保护第三方合法权益 (1 of 1) is unread and 4.无正当理由大量反复申请's
    total, printed 0, is misread as 1: changing that row's 自然人 0 to 1 would balance row and
    column both, a wrong value the arithmetic seems to prove. Nothing is corrected."""
    from xxgk.extract.ocr_check import OCR_CORRECTED, check

    cells = _scanned_cells()
    row = "t3_res_withheld_third_party__"
    unread = [
        {"metric": c["metric"], "reason": "column_ambiguous"}
        for c in cells
        if c["metric"].startswith(row)
    ]
    cells = [c for c in cells if not c["metric"].startswith(row)]
    by_metric = {c["metric"]: c for c in cells}
    person = by_metric["t3_res_notproc_excessive__natural_person"]
    person["confidence"] = 0.94
    total = by_metric["t3_res_notproc_excessive__total"]
    total["raw"], total["value"], total["confidence"] = "1", 1, 0.06
    issues = check(cells, "v2021", unread)
    assert not any(i.code == OCR_CORRECTED for i in issues)
    assert (person["value"], total["value"]) == (0, 1)  # as read, and flagged unverified
    # the same misread with every row read: the total is the one change that balances
    cells = _scanned_cells()
    total = next(c for c in cells if c["metric"] == "t3_res_notproc_excessive__total")
    total["raw"], total["value"], total["confidence"] = "1", 1, 0.06
    issues = check(cells, "v2021", [])
    assert any(i.code == OCR_CORRECTED for i in issues) and total["value"] == 0
