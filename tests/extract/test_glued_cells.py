"""Issue 26: the cells of glued runs that are certain although the run as a whole is not.

Crawler dumps are the real texts of ../shared/eval/hard 206 and 207 (``test_glued``); the
spaced-and-glued PDF rows are the 2021 sample report's table 三 and 四 as a PDF text layer
prints them, with the stray blanks real dumps show (``00 0 0 00 0`` for seven zeros).
"""

from __future__ import annotations

from typing import Any

from tests.extract.test_layout_transforms import known_reports
from tests.support.glued_dumps import T2_207, T3_206, T3_207_SPACED, T3_HEAD, T4_HEAD, dump
from xxgk.extract import extract_bytes
from xxgk.extract.arithmetic import row_rules_of
from xxgk.extract.blanks import min_parts, readings, row_readings, settle
from xxgk.extract.glued import GluedRow, Solution
from xxgk.synthetic.layouts import render

T3_COLUMNS = (
    "natural_person",
    "org_commercial",
    "org_research",
    "org_social_welfare",
    "org_legal_service",
    "org_other",
    "total",
)


def _values(rec: dict[str, Any]) -> dict[str, Any]:
    return {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}


def _issues(rec: dict[str, Any], code: str) -> list[str]:
    return [i["message"] for i in rec["issues"] if i["code"] == code]


def _t3_row(code: str) -> GluedRow:
    codes = tuple(f"t3_{code}__{c}" for c in T3_COLUMNS)
    return GluedRow(code, codes, ("count",) * 7, ())


# --- row-level fallback: a publisher table that does not balance ------------------------------


def _unbalanced() -> dict[str, Any]:
    # hard/206 as crawled, but the publisher's 总计 row prints 61 … 67 while its results add
    # up to 63 … 69 (the kind of slip the issue found: results 27, 总计 21)
    body = T3_206.replace("（七）总计630020469", "（七）总计610020467")
    return dump(2021, T3_HEAD, body, T4_HEAD, "10203120001200000")


def test_an_unbalanced_table_is_flagged_naming_its_rows() -> None:
    rec = _unbalanced()
    (message,) = _issues(rec, "table_does_not_balance")
    assert message.startswith("table 三 does not balance")
    assert "'（七）总计'" in message and "'一、本年新收政府信息公开申请数量'" in message


def test_an_unbalanced_table_still_reads_the_rows_its_own_rules_settle() -> None:
    values = _values(_unbalanced())
    # before issue 26 not one cell of the table was read: no joint split exists
    t3 = {k: v for k, v in values.items() if k.startswith("t3_")}
    assert len(t3) >= 15 * 7
    # '0000000' has one reading whatever the other rows say
    assert [values[f"t3_res_withheld_state_secret__{c}"] for c in T3_COLUMNS] == [0] * 7
    assert [values[f"t3_carried_over__{c}"] for c in T3_COLUMNS] == [0] * 7
    assert set(t3.values()) == {0}


def test_an_unbalanced_row_a_blank_total_could_explain_is_not_guessed() -> None:
    rec = _unbalanced()
    values = _values(rec)
    # '610020467' is 61·0·0·2·0·4·67 with every cell printed, but 610·0·0·2·0·4 with a blank
    # 总计 satisfies the row rule as well (a blank total is no violation: many reports)
    assert "t3_res_total__total" not in values and "t3_res_total__natural_person" not in values
    total = [m for m in _issues(rec, "column_ambiguous") if "'（七）总计'" in m]
    assert len(total) == 1 and "61 · 0 · 0 · 2 · 0 · 4 · 67" in total[0]
    assert "vanished blank" in total[0]
    # its candidates reach the unread cells (issue 24): the split with every cell printed
    unread = {u["metric"]: u["candidates"] for u in rec["unread_cells"]}
    assert unread["t3_res_total__total"] == [67]
    assert "t3_res_withheld_state_secret__total" not in unread  # read: 0000000


def test_a_row_whose_blank_vanished_is_not_split_by_its_own_rule() -> None:
    # the 2020 sample's 本机关不掌握 row, 9 · 0 · (blank) · 1 · 1 · 0 · 11, glued: the only
    # split into seven printed cells fails its row rule, the true reading does not
    row = GluedRow(
        "1.本机关不掌握相关政府信息",
        _t3_row("res_unable_not_held").codes,
        ("count",) * 7,
        ("9011011",),
    )
    allowed = row_readings(row, row_rules_of("v2021")) or []
    assert ("9", "0", "", "1", "1", "0", "11") in allowed
    assert ("9", "0", "1", "1", "0", "1", "1") not in allowed
    sol = settle(Solution(ambiguous={0: []}, unbalanced=[0]), [row], row_rules_of("v2021"))
    assert sol.resolved == {} and 0 not in sol.agreed


def test_readings_allow_a_blank_anywhere_but_never_cross_a_space() -> None:
    row = GluedRow("r", ("a", "b", "c"), ("count",) * 3, ("10", "5"))
    found = set(readings(row) or [])
    assert found == {("10", "5", ""), ("10", "", "5"), ("", "10", "5"), ("1", "0", "5")}
    assert min_parts("00") == 2 and min_parts("01") == 2 and min_parts("120") == 1
    assert min_parts("000023") == 5


# --- cells every reading agrees on ----------------------------------------------------------


def test_a_cell_every_reading_gives_the_same_value_is_read() -> None:
    # 行政许可 '46 +349': 上一年项目数量 is 46 in every reading (a signed 本年增/减 follows),
    # 本年增/减 · 处理决定数量 is +3 · 49 or +34 · 9
    rec = dump(2019, T2_207.format(license="46+349"), T3_HEAD, T3_207_SPACED)
    values = _values(rec)
    assert values["v19_t2_license_prev_items"] == 46
    assert "v19_t2_license_change" not in values and "v19_t2_license_decisions" not in values
    (message,) = [m for m in _issues(rec, "column_ambiguous") if "'46 +349'" in m]
    assert "columns 1, the same in every split, were read" in message
    # the agreed cell is read, so it is no unread cell; the other two are, with candidates
    unread = {u["metric"]: u["candidates"] for u in rec["unread_cells"]}
    assert "v19_t2_license_prev_items" not in unread
    assert unread["v19_t2_license_change"] == [3, 34]
    assert unread["v19_t2_license_decisions"] == [9, 49]


def test_a_run_with_no_agreed_cell_reads_nothing() -> None:
    rec = dump(2019, T2_207.format(license="3960181"), T3_HEAD, T3_207_SPACED)
    values = _values(rec)
    assert not [k for k in values if k.startswith(("v19_t2_license_", "v19_t2_fee_"))]


# --- spaced and glued at once, off a crawler dump ---------------------------------------------


def _pdf_2021(*subs: tuple[str, str]) -> dict[str, Any]:
    report = next(r for r in known_reports() if r.name == "sample:2021/shilishi-tongjiju.html")
    text = render(report, "pdf_rows")
    for printed, spaced in subs:
        assert printed in text, printed
        text = text.replace(printed, spaced)
    return extract_bytes(text.encode("utf-8"), "report.txt")


def test_spaced_and_glued_rows_of_a_pdf_text_layer_are_split() -> None:
    rec = _pdf_2021(
        ("1.属于国家秘密 0 0 0 0 0 0 0", "1.属于国家秘密 00 0 0 00 0"),
        ("3.其他 3 0 0 0 0 0 3", "3.其他 3 0 0 0 0 03"),
        ("\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", "\n0 0 00 0 0 0 000 0 0 0 00\n"),
    )
    values = _values(rec)
    assert [values[f"t3_res_withheld_state_secret__{c}"] for c in T3_COLUMNS] == [0] * 7
    assert [values[f"t3_res_other_misc__{c}"] for c in T3_COLUMNS] == [3, 0, 0, 0, 0, 0, 3]
    assert values["t4_review_total"] == 0 and values["t4_lit_after_review_total"] == 0
    assert not _issues(rec, "column_ambiguous")


def test_a_short_pdf_row_a_blank_cell_could_explain_is_not_split() -> None:
    # '2 1 0 1 1 16': the total glued on (2 1 0 1 1 1 6)? or a blank cell and a 16?
    rec = _pdf_2021(("四、结转下年度继续办理 2 1 0 1 1 1 6", "四、结转下年度继续办理 2 1 0 1 1 16"))
    values = _values(rec)
    assert not [k for k in values if k.startswith("t3_carried_forward__")]
    assert any("结转下年度继续办理" in m for m in _issues(rec, "column_ambiguous"))
