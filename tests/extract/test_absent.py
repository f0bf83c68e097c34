"""Absent is not blank, and an unread cell is a row of its own.

A copy cut inside a table (an excerpt, a page that stops) holds the rows up to the cut:
the record's ``coverage`` says where, and lists the metrics the copy does not hold, so a
rule needing them is not assessable instead of reading them as blanks. A row whose values
cannot be assigned to columns lists each of its cells in ``unread_cells`` with the raw text
and the numbers it may hold.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SHARED, require_shared
from xxgk.dictionary.metrics import table_spec
from xxgk.extract import extract_bytes

SAMPLES = REPO / "samples" / "inbox"
HEAD = (
    "某县统计局2022年政府信息公开工作年度报告\n"
    "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n"
)


def _coverage(rec: dict[str, Any], table_no: int) -> dict[str, Any]:
    return next(c for c in rec["coverage"] if c["table_no"] == table_no)


def _codes_from(fmt: str, table_no: int, label: str) -> list[str]:
    """The metric codes of a table's rows from the row labelled ``label`` on."""
    rows = table_spec(fmt, table_no).rows
    at = next(i for i, r in enumerate(rows) if r.label == label)
    return [m.code for r in rows[at:] for m in r.metrics]


# one synthetic sample of each format, cut just before a row of its last table
CUTS = [
    ("2016/yangbenxian-shuiliju.txt", "old", 1, "二、回应解读情况"),
    ("2019/shilishi-tongjiju.txt", "v2019", 3, "（一）予以公开"),
    ("2022/shilishi-tongjiju.txt", "v2021", 3, "（一）予以公开"),
]


@pytest.mark.parametrize(("path", "fmt", "table_no", "label"), CUTS)
def test_a_copy_cut_inside_a_table_says_which_rows_are_absent(
    path: str, fmt: str, table_no: int, label: str
) -> None:
    text = (SAMPLES / path).read_text(encoding="utf-8")
    whole = extract_bytes(text.encode(), path)
    assert whole["status"] == "ok" and whole["unread_cells"] == []
    assert all(c["present"] and not c["truncated"] for c in whole["coverage"])
    assert not any(c["absent_metrics"] for c in whole["coverage"])

    lines = text.split("\n")
    cut_at = next(i for i, line in enumerate(lines) if label in line)
    if fmt == "v2021":  # a pipe row: '三、本年度办理结果 | （一）予以公开 | …'
        cut_at = next(i for i, line in enumerate(lines) if "本年度办理结果" in line)
    rec = extract_bytes("\n".join(lines[:cut_at]).encode(), path)
    assert rec["format"] == fmt and rec["status"] == "partial"
    cut = _coverage(rec, table_no)
    assert cut["present"] and cut["truncated"]
    assert cut["reason"].startswith(f"table {'统计表' if fmt == 'old' else '三'} cut after row ")
    absent = set(cut["absent_metrics"])
    expected = set(_codes_from(fmt, table_no, label))
    assert expected <= absent  # every row from the cut on
    read = {c["metric"] for c in rec["cells"]}
    assert not absent & read  # nothing absent was read, nothing read is absent
    assert read | absent >= {m.code for r in table_spec(fmt, table_no).rows for m in r.metrics}
    assert 0 < cut["cells_expected"] < _coverage(whole, table_no)["cells_expected"]
    if fmt != "old":  # the tables after the cut are not in the copy
        four = _coverage(rec, 4)
        assert (
            not four["present"]
            and four["reason"] == "table 四 not in the copy (it ends in table 三)"
        )


def test_a_printed_blank_is_not_absent() -> None:
    rec = extract_bytes((SAMPLES / "2016/yangbenxian-shuiliju.txt").read_bytes(), "old.txt")
    blank = [c["metric"] for c in rec["cells"] if c["value"] is None]
    assert blank  # 1.政府公报公开政府信息数 | 条 | |
    assert not set(blank) & set(_coverage(rec, 1)["absent_metrics"])


def test_values_that_fit_no_column_are_unread_cells_with_their_candidates() -> None:
    rec = extract_bytes(
        (
            HEAD + "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n"
            "本年制发件数\n本年废止件数\n现行有效件数\n"
            "规章\n0\n行政规范性文件\n2\n1\n15\n第二十条第(五)项\n"
        ).encode(),
        "layout.txt",
    )
    unread = [u for u in rec["unread_cells"] if u["table_no"] == 2]
    assert [u["metric"] for u in unread] == [
        "v21_t2_reg_issued",
        "v21_t2_reg_repealed",
        "v21_t2_reg_in_force",
    ]
    assert all(u["reason"] == "column_ambiguous" and u["raw"] == "0" for u in unread)
    assert [u["candidates"] for u in unread] == [[0.0], [0.0], [0.0]]
    assert [u["column_label"] for u in unread] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert unread[0]["locator"].startswith("table 2, row ")
    assert rec["status"] == "partial"  # a value left unassigned: not complete
    assert not {u["metric"] for u in unread} & {c["metric"] for c in rec["cells"]}


def test_a_glued_run_lists_the_numbers_each_split_gives_a_column() -> None:
    from tests.support.glued_dumps import T2_207, T3_207_SPACED, T3_HEAD, dump

    rec = dump(2019, T2_207.format(license="3960181"), T3_HEAD, T3_207_SPACED)
    fee = {u["metric"]: u for u in rec["unread_cells"] if u["metric"].startswith("v19_t2_fee")}
    # '350': 35 · 0 or 3 · 50, the form has no arithmetic between them
    assert fee["v19_t2_fee_prev_items"]["candidates"] == [3.0, 35.0]
    assert fee["v19_t2_fee_change"]["candidates"] == [0.0, 50.0]
    assert fee["v19_t2_fee_change"]["raw"] == "350"


TRUNCATED_REAL = [  # (set, file, table, the row the truth notes say the copy stops in or after)
    ("real", "003.txt", 3, 2),
    ("real", "018.txt", 3, 8),
    ("hard", "212.txt", 3, 2),
    ("hard", "230.txt", 2, 3),
]


@pytest.mark.parametrize(("subset", "name", "table_no", "row"), TRUNCATED_REAL)
def test_real_cut_copies_say_where_they_stop(
    subset: str, name: str, table_no: int, row: int
) -> None:
    folder = require_shared(SHARED / "eval" / subset)
    rec = extract_bytes((folder / "raw" / name).read_bytes(), name)
    truth = json.loads((folder / "truth" / Path(name).with_suffix(".json")).read_text("utf-8"))
    cut = _coverage(rec, table_no)
    assert cut["truncated"] and cut["reason"].startswith(
        f"table {'二三'[table_no - 2]} cut after row {row} "
    )
    assert rec["status"] == "partial"
    assert "runcat" in truth["notes"] or "cut" in truth["notes"] or "stops" in truth["notes"]
    read = {c["metric"] for c in rec["cells"]}
    assert not read & set(cut["absent_metrics"])


def test_a_table_printed_with_no_cell_read_is_not_complete() -> None:
    from xxgk.extract.unread import table_coverage

    spec = table_spec("v2021", 4)
    # a flip-book page: the heading is text, the grid a picture nobody read
    none_read = table_coverage(spec, [], set(), truncated=False)
    assert none_read["present"] and none_read["reason"] == (
        "table 四: printed, but no cell of it was read"
    )
    read = table_coverage(spec, list(spec.rows), {"t4_review_total"}, truncated=False)
    assert read["reason"] is None and read["absent_metrics"] == []


def test_a_copy_ending_right_after_a_tables_last_cell_is_not_cut() -> None:
    """A scan of the table pages only (or an excerpt) stops after table 四's one row of 15
    values: every cell is there, so nothing is absent and the report is complete; a copy
    that stops inside that row is cut."""
    path = "2022/shilishi-tongjiju.txt"
    lines = (SAMPLES / path).read_text(encoding="utf-8").split("\n")
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    whole = extract_bytes("\n".join(lines[:end]).encode(), path)
    four = _coverage(whole, 4)
    assert four["present"] and not four["truncated"] and four["absent_metrics"] == []
    assert whole["status"] == "ok"
    assert not any(i["code"] == "table_truncated" for i in whole["issues"])
    values = lines[end - 1].split(" | ")
    cut = extract_bytes("\n".join([*lines[: end - 1], " | ".join(values[:9])]).encode(), path)
    assert cut["status"] == "partial" and _coverage(cut, 4)["truncated"]
    assert len(_coverage(cut, 4)["absent_metrics"]) == 6
