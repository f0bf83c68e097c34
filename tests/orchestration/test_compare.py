"""`xxgk compare`: one agency's two years side by side on the demo warehouse (the sample
statistics bureau's 2019–2022 reports), and every agency's year-over-year changes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from xxgk.orchestration.cli import main
from xxgk.publish.compare import compare

BUREAU = "示例市统计局"


def _run(warehouse: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["compare", "--warehouse", str(warehouse), *args])
    return result.exit_code, result.output


def test_two_years_side_by_side_with_their_change(demo_warehouse: Path) -> None:
    found = compare(demo_warehouse, BUREAU, 2020, 2022)
    rows = {row[0]: row[2:] for row in found.measures.rows}
    # the samples' 本年新收 56 (2020) and 63 (2022); 不予公开 13 → 12
    assert rows["applications_received"] == (56, 63, 7, 12.5)
    assert rows["applications_withheld"] == (13, 12, -1, -7.7)
    # a change from 0 has no percentage; a measure neither year gives stays NULL throughout
    assert rows["withheld_third_party"] == (0, 4, 4, None)
    assert all(change is None for a, b, change, _ in rows.values() if a is None or b is None)


def test_the_last_two_years_by_default(demo_warehouse: Path) -> None:
    found = compare(demo_warehouse, BUREAU)
    assert (found.year_a, found.year_b) == (2021, 2022)


def test_the_findings_of_either_year_and_the_chains_between(demo_warehouse: Path) -> None:
    code, out = _run(demo_warehouse, BUREAU, "2021", "2022", "--format", "csv")
    assert code == 0
    tables = out.split("year,rule_id,")  # the measures, then the findings
    assert len(tables) == 2
    findings = list(csv.DictReader(io.StringIO("year,rule_id," + tables[1])))
    assert findings and {row["year"] for row in findings} <= {"2021", "2022"}
    assert all(row["outcome"] == "failed" or row["cross_year"] == "True" for row in findings)


def test_every_agencys_changes_in_one_table(demo_warehouse: Path) -> None:
    code, out = _run(demo_warehouse, "--region", "", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    pairs = {(r["agency_name"], r["year_a"], r["year_b"]) for r in rows}
    # the bureau's three consecutive pairs; the other sample agencies have one year each
    assert pairs == {(BUREAU, "2019", "2020"), (BUREAU, "2020", "2021"), (BUREAU, "2021", "2022")}
    received = [r for r in rows if r["measure_code"] == "applications_received"]
    assert [(r["value_a"], r["value_b"], r["change"]) for r in received] == [
        ("44", "56", "12"),
        ("56", "54", "-2"),
        ("54", "63", "9"),
    ]


def test_unknown_or_ambiguous_agencies_and_missing_years_are_one_line(
    demo_warehouse: Path,
) -> None:
    for args, expected in [
        (["nowhere"], "Error: no agency named like 'nowhere'"),
        (["局"], "Error: 5 agencies match '局'"),
        ([BUREAU, "2019", "2030"], f"Error: {BUREAU} has no measures for 2030; its years: 2019"),
        (["样本县水利局"], "Error: 样本县水利局 has measures for 1 year(s) (2016)"),
    ]:
        code, out = _run(demo_warehouse, *args)
        assert code == 1 and out.startswith(expected), out
        assert len(out.strip().splitlines()) == 1
