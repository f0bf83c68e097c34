"""docs/queries.sql on a demo warehouse: every worked query runs and finds what it should.

The warehouse is built the way the DAG builds it, without Airflow: land samples/inbox (plus the
five seed reports of ../shared/seeds when that folder exists), extract in batches, load, then
``dbt build``. Assertions on the seed reports skip with the reason when ../shared is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import REPO, SEEDS

pytestmark = pytest.mark.integration

QUERIES_FILE = REPO / "docs" / "queries.sql"
SAMPLE_REPORTS: dict[str, dict[str, Any]] = json.loads(
    (REPO / "samples" / "expected.json").read_text(encoding="utf-8")
)["reports"]
SAMPLES_INBOX = REPO / "samples" / "inbox"
NO_SEEDS = f"{SEEDS} not found: the seed reports (../shared/seeds) are not beside this checkout"
_NAME = re.compile(r"^-- name: *(\S+) *$", re.MULTILINE)


def named_queries() -> dict[str, str]:
    """``-- name:`` → the SQL that follows it (up to the next name), without the final ';'."""
    parts = _NAME.split(QUERIES_FILE.read_text(encoding="utf-8"))
    names, bodies = parts[1::2], parts[2::2]
    assert len(names) == len(set(names)), "duplicate query names"
    return {name: body.strip().rstrip(";") for name, body in zip(names, bodies, strict=True)}


QUERIES = named_queries()


@pytest.fixture(scope="module")
def demo(demo_with_seeds: tuple[Path, bool]) -> tuple[Path, bool]:
    """(warehouse, whether the seed reports were loaded) after a full demo load and dbt build."""
    return demo_with_seeds


def run(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_queries_file_has_at_least_eight_named_queries() -> None:
    assert len(QUERIES) >= 8
    starts = ("select", "with", "--")
    assert all(sql.lower().lstrip().startswith(starts) for sql in QUERIES.values())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_runs_and_returns_rows(demo: tuple[Path, bool], name: str) -> None:
    warehouse, _ = demo
    assert run(warehouse, QUERIES[name]), f"{name} returned no rows on the demo warehouse"


def by(rows: list[dict[str, Any]], *keys: str) -> dict[Any, dict[str, Any]]:
    return {tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]: row for row in rows}


def test_applications_trend_by_year(demo: tuple[Path, bool]) -> None:
    warehouse, has_seeds = demo
    rows = by(run(warehouse, QUERIES["applications_trend_by_year"]), "report_year")
    sample_years = {r["report_year"] for r in SAMPLE_REPORTS.values()}
    assert set(rows) >= (set(range(2015, 2024)) if has_seeds else sample_years)
    assert rows[2015]["agencies_reporting"] == 0  # narrative only: NULL, not 0
    assert rows[2015]["applications_received"] is None
    # old (2017) and v2019/v2021 years sum one conformed column
    assert rows[2017]["applications_received"] == (26 if has_seeds else 21)
    assert rows[2020]["applications_received"] == 56  # seed 004 adds a reported 0
    assert rows[2023]["applications_received"] == 30  # blank 总计: sum of applicant columns


def test_refusal_reasons_add_up_to_the_withheld_total(demo: tuple[Path, bool]) -> None:
    warehouse, _ = demo
    rows = run(warehouse, QUERIES["refusal_reasons_by_year"])
    [trend_2023] = [
        r for r in run(warehouse, QUERIES["applications_trend_by_year"]) if r["report_year"] == 2023
    ]
    assert (
        sum(r["applications_withheld"] for r in rows if r["report_year"] == 2023)
        == (trend_2023["applications_withheld"])
    )
    reasons_2017 = by([r for r in rows if r["report_year"] == 2017], "reason_zh")
    assert reasons_2017["属于国家秘密"]["comparability"] == "good"
    assert reasons_2017["其他法律行政法规禁止公开"]["comparability"] == "approximate"


def test_applications_by_admin_level(demo: tuple[Path, bool]) -> None:
    warehouse, _ = demo
    rows = by(run(warehouse, QUERIES["applications_by_admin_level"]), "admin_level")
    assert set(rows) <= {"national", "province", "prefecture", "county", "township", "unknown"}
    trend = run(warehouse, QUERIES["applications_trend_by_year"])
    assert sum(r["applications_received"] or 0 for r in rows.values()) == sum(
        r["applications_received"] or 0 for r in trend
    )


def test_review_and_lawsuit_outcomes(demo: tuple[Path, bool]) -> None:
    warehouse, _ = demo
    rows = by(run(warehouse, QUERIES["review_and_lawsuit_outcomes"]), "report_year")
    for year in (2019, 2020, 2021, 2022, 2023):
        row = rows[year]
        parts = ("upheld", "corrected", "other_outcome", "pending")
        assert row["reviews_total"] == sum(row[f"reviews_{p}"] for p in parts), year
        assert row["lawsuits_total"] == sum(row[f"lawsuits_{p}"] for p in parts), year
    assert rows[2017]["reviews_pending"] is None  # no pending column before 2019


def test_reports_with_blank_tables(demo: tuple[Path, bool]) -> None:
    warehouse, has_seeds = demo
    rows = by(run(warehouse, QUERIES["reports_with_blank_tables"]), "agency_name", "report_year")
    assert rows["示例市统计局", 2022]["table_no"] == 3
    assert rows["示例市统计局", 2022]["blank_cell_count"] == 108
    if not has_seeds:
        pytest.skip(NO_SEEDS)
    assert rows["台州市经济和信息化委员会", 2017]["blank_cell_count"] == 34


def test_label_search_finds_sample_cells_by_label_path_and_agency(
    demo: tuple[Path, bool],
) -> None:
    warehouse, _ = demo
    rows = by(
        [r for r in run(warehouse, QUERIES["label_search"]) if r["label_text"] == "处理决定数量"],
        "report_year",
    )
    # 行政许可 处理决定数量 (v2019) and 本年处理决定数量 (v2021) of the samples
    assert {y: r["value"] for y, r in rows.items()} == {2019: 49, 2020: 67, 2021: 134, 2022: 126}
    assert {r["agency_name"] for r in rows.values()} == {"示例市统计局"}


def test_label_search_finds_seed_cells_by_chinese_label_and_agency(
    demo: tuple[Path, bool],
) -> None:
    warehouse, has_seeds = demo
    if not has_seeds:
        pytest.skip(NO_SEEDS)
    rows = by(run(warehouse, QUERIES["label_search"]), "label_text")
    assert rows["主动公开政府信息数"]["value"] == 492  # seed 001
    assert rows["主动公开政府信息数"]["agency_name"] == "台州市经济和信息化委员会"
    assert rows["上一年项目数量"]["value"] == 9  # seed 004: 行政处罚 上一年项目数量
    assert rows["上一年项目数量"]["metric_code"] == "v19_t2_penalty_prev_items"


def test_seed_001_and_004_share_the_applications_column(demo: tuple[Path, bool]) -> None:
    warehouse, has_seeds = demo
    if not has_seeds:
        pytest.skip(NO_SEEDS)
    rows = by(
        run(
            warehouse,
            "select a.agency_name, m.format_id, m.applications_received "
            "from main.fct_agency_year_measures as m "
            "join main.dim_agencies as a using (agency_key) "
            "where a.agency_name in ('台州市经济和信息化委员会', '呼图壁县商务和工业信息化局')",
        ),
        "agency_name",
    )
    assert rows["台州市经济和信息化委员会"]["format_id"] == "old"
    assert rows["台州市经济和信息化委员会"]["applications_received"] == 5
    assert rows["呼图壁县商务和工业信息化局"]["format_id"] == "v2019"
    received = rows["呼图壁县商务和工业信息化局"]["applications_received"]
    assert received == 0 and received is not None


def test_applications_by_applicant_type(demo: tuple[Path, bool]) -> None:
    warehouse, _ = demo
    rows = by(
        run(warehouse, QUERIES["applications_by_applicant_type"]), "report_year", "applicant_type"
    )
    assert rows[2023, "Natural person"]["applications_received"] == 28
    assert rows[2023, "Legal service institution"]["applications_received"] == 2
    assert not any(key[1] == "Total" for key in rows)


def test_carry_over_chain(demo: tuple[Path, bool]) -> None:
    warehouse, _ = demo
    rows = run(warehouse, QUERIES["carry_over_chain"])
    assert [(r["agency_name"], r["report_year"]) for r in rows] == [
        ("示例市统计局", 2020),
        ("示例市统计局", 2021),
        ("示例市统计局", 2022),
    ]
    assert all(r["is_consistent"] for r in rows)


def test_narrative_vs_table_flags_the_inconsistent_sample(demo: tuple[Path, bool]) -> None:
    warehouse, has_seeds = demo
    rows = by(
        run(warehouse, QUERIES["narrative_vs_table_applications"]), "agency_name", "report_year"
    )
    # the deliberately inconsistent report: prose says 29, its 新收 cells add up to 30
    inconsistent = rows["演示区人力资源和社会保障局", 2023]
    assert (inconsistent["stated_applications"], inconsistent["table_applications"]) == (29, 30)
    assert inconsistent["is_consistent"] is False
    assert all(rows["示例市统计局", year]["is_consistent"] for year in (2019, 2020, 2021, 2022))
    if not has_seeds:
        pytest.skip(NO_SEEDS)
    assert rows["台州市经济和信息化委员会", 2017]["is_consistent"] is True
    assert rows["昭通市工信委", 2016]["is_consistent"] is None  # prose only: nothing to compare


def test_measure_comparability(demo: tuple[Path, bool]) -> None:
    warehouse, _ = demo
    rows = by(run(warehouse, QUERIES["measure_comparability"]), "measure_code", "format_id")
    assert ("applications_withheld", "old") in rows
    assert ("normative_documents_issued", "v2019") in rows
    assert ("applications_received", "old") not in rows  # a good mapping


def test_agencies_by_region(demo: tuple[Path, bool]) -> None:
    warehouse, has_seeds = demo
    rows = by(run(warehouse, QUERIES["agencies_by_region"]), "province_name", "prefecture_name")
    assert (None, None) in rows  # the invented sample agencies have no region
    if not has_seeds:
        pytest.skip(NO_SEEDS)
    assert rows["浙江省", "台州市"]["agencies"] == "台州市经济和信息化委员会"
    assert rows["新疆维吾尔自治区", "昌吉回族自治州"]["agencies"] == "呼图壁县商务和工业信息化局"
