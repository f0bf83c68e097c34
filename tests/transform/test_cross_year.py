"""Issue 26: unread cells the same agency's neighbouring year settles (cross-year resolution).

Two consecutive years of one agency go through the load (land → extract → load → dbt build)
as crawler dumps whose table 二 is glued (the real text of ../shared/eval/hard 207, cut to the
tables, as tests/support/glued_dumps.py holds them). In 2020 the row 行政许可 prints
``3960181``: 上一年项目数量 may be 3, 39, 396, 3960 or 39601, and nothing in the 2020 report
decides. The 2019 report prints the row spaced (``396 0 181``), so the catalog's chain
上一年项目数量(2020) = 上一年项目数量(2019) + 本年增/减(2019) leaves 396 alone. The same two
texts without an agency name are loaded beside them: nothing of theirs is resolved. A
reviewer's decision on the cell replaces the neighbouring year's value.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support.glued_dumps import END, HEAD, PROSE, T2_207, T3_207_SPACED, T3_HEAD, T4_HEAD
from tests.support.warehouse import build_warehouse
from xxgk.transform.dbt import run_dbt_build

pytestmark = pytest.mark.integration

T4_ZEROS = " ".join("0" * 15)
NAMELESS_HEAD = (
    "标题: {year}年度政府信息公开工作年度报告\n发布时间: {pub} 15:22\n"
    "==================== 正文 ====================\n"
)
LICENSE = {2019: "396 0 181", 2020: "3960181"}  # 2020's run is ambiguous alone


def _page(head: str, year: int) -> str:
    tables = T2_207.format(license=LICENSE[year]) + T3_HEAD + T3_207_SPACED + T4_HEAD + T4_ZEROS
    return head.format(year=year, pub=f"{year + 1}-01-20") + PROSE.format(year=year) + tables + END


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cross_year")
    for year in LICENSE:
        folder = root / "inbox" / str(year)
        folder.mkdir(parents=True)
        (folder / f"pingtan-{year}.txt").write_text(_page(HEAD, year) + "\n", encoding="utf-8")
        (folder / f"nameless-{year}.txt").write_text(
            _page(NAMELESS_HEAD, year) + "\n", encoding="utf-8"
        )
    return build_warehouse(root / "inbox", root / "data")


def query(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_earlier_year_settles_the_glued_run(warehouse: Path) -> None:
    reports = query(
        warehouse,
        "select file_name, agency_name, report_year, report_key from main.dim_reports",
    )
    by_file = {r["file_name"]: r for r in reports}
    assert by_file["pingtan-2020.txt"]["agency_name"] == "平潭综合实验区"
    assert by_file["nameless-2020.txt"]["agency_name"] == "(unknown)"
    (cell,) = query(
        warehouse,
        "select c.* from main.fct_report_cells as c join main.dim_reports as r"
        " using (report_key) where c.value_source = 'cross_year'",
    )
    assert cell["report_key"] == by_file["pingtan-2020.txt"]["report_key"]
    assert (cell["metric_code"], cell["value"], cell["value_as_read"]) == (
        "v19_t2_license_prev_items",
        396,
        None,
    )
    assert cell["cross_year_report_key"] == by_file["pingtan-2019.txt"]["report_key"]
    evidence = cell["cross_year_evidence"]
    assert evidence.startswith("v2019.t2.items_chain [license]: v19_t2_license_prev_items ? = ")
    assert "prev v19_t2_license_prev_items 396 + prev v19_t2_license_change 0" in evidence
    assert "the 2019 report pingtan-2019.txt" in evidence
    assert evidence.endswith("candidates 3 · 39 · 396 · 3960 · 39601 → 396")


def test_the_unread_cell_is_marked_resolved_and_the_rest_stay_unread(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select r.file_name, u.metric_code, u.review_item_id, u.is_resolved_cross_year,"
        " u.cross_year_value from main.fct_unread_cells as u join main.dim_reports as r"
        " using (report_key) where u.is_value_unassigned",
    )
    resolved = [r for r in rows if r["is_resolved_cross_year"]]
    assert [(r["file_name"], r["metric_code"], r["cross_year_value"]) for r in resolved] == [
        ("pingtan-2020.txt", "v19_t2_license_prev_items", 396)
    ]
    (cell,) = query(
        warehouse,
        "select review_item_id from main.fct_report_cells where value_source = 'cross_year'",
    )
    # the unread cell's id for a reviewer: a decision on it would replace this value
    assert resolved[0]["review_item_id"] == cell["review_item_id"]
    # 本年增/减 and 处理决定数量 have no cross-year rule; the other rows are glued in both
    # years, so the neighbour's operand is unread too; an unknown agency has no neighbour
    unresolved = {
        (r["file_name"], r["metric_code"]) for r in rows if not r["is_resolved_cross_year"]
    }
    assert ("pingtan-2020.txt", "v19_t2_license_change") in unresolved
    assert ("pingtan-2020.txt", "v19_t2_fee_prev_items") in unresolved
    assert ("nameless-2020.txt", "v19_t2_license_prev_items") in unresolved


def test_the_rules_see_the_resolved_value(warehouse: Path) -> None:
    clauses = query(
        warehouse,
        "select r.file_name, d.clause_label, d.reason_code, d.lhs, d.rhs"
        " from quality.int_rule_clauses_decided as d join main.dim_reports as r"
        " using (report_key) where d.rule_id = 'v2019.t2.items_chain'"
        " and r.file_name = 'pingtan-2020.txt'",
    )
    by_label = {c["clause_label"]: c for c in clauses}
    assert (by_label["license"]["reason_code"], by_label["license"]["lhs"]) == ("holds", 396)
    assert by_label["fee"]["reason_code"] == "operand_unread"


def test_a_reviewers_decision_replaces_the_cross_year_value(
    warehouse: Path, tmp_path: Path
) -> None:
    (cell,) = query(
        warehouse,
        "select review_item_id, report_sha256 from main.fct_report_cells"
        " where value_source = 'cross_year'",
    )
    reviewed = shutil.copy(warehouse, tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(reviewed)) as con:
        con.execute(
            "insert into raw.review_decisions (decision_id, item_id, action, value, note,"
            " reviewer, decided_at, report_sha256) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                "d1",
                cell["review_item_id"],
                "resolve",
                "39",
                "the scan shows 39",
                "wang",
                datetime(2026, 1, 1, 9, 0),
                cell["report_sha256"],
            ],
        )
    assert run_dbt_build(reviewed).success
    rows = query(
        reviewed,
        "select value, value_source, reviewer from main.fct_report_cells"
        f" where review_item_id = '{cell['review_item_id']}'",
    )
    assert rows == [{"value": 39, "value_source": "reviewer", "reviewer": "wang"}]
    (unread,) = query(
        reviewed,
        "select is_resolved_cross_year, cross_year_value from main.fct_unread_cells"
        f" where review_item_id = '{cell['review_item_id']}'",
    )
    assert unread == {"is_resolved_cross_year": False, "cross_year_value": None}
