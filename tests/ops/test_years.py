"""Which report years a run loads, and landing several years in one run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.core.exceptions import NothingToLoad
from xxgk.orchestration.cli import main
from xxgk.orchestration.pipeline import land_step, run_years

APRIL_2026 = datetime(2026, 4, 1, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("year", "years", "run_type", "expected"),
    [
        (2019, None, "manual", [2019]),
        (2019, [2016, 2017], "scheduled", [2019]),  # an explicit year wins
        (None, [2018, 2016, 2018], "manual", [2016, 2018]),
        (None, None, "scheduled", [2025]),  # 1 April 2026 loads the 2025 reports
        (None, None, "backfill", [2025]),
        (None, [], "backfill", [2025]),
        (None, None, "manual", None),  # every year of the inbox
        (None, None, "asset_triggered", None),
    ],
)
def test_run_years(
    year: int | None, years: list[int] | None, run_type: str, expected: list[int] | None
) -> None:
    assert run_years(year, years, run_type, APRIL_2026) == expected


def test_the_task_runtimes_run_type_enum_selects_the_year() -> None:
    """What a task really gets: the Task SDK's DagRunType, whose str() is not its value."""
    from airflow.sdk.api.datamodels._generated import DagRunType

    assert str(DagRunType.BACKFILL) == "DagRunType.BACKFILL"  # why str() never matched
    assert run_years(None, None, DagRunType.BACKFILL, APRIL_2026) == [2025]
    assert run_years(None, None, DagRunType.SCHEDULED, APRIL_2026) == [2025]
    assert run_years(None, None, "DagRunType.BACKFILL", APRIL_2026) == [2025]
    assert run_years(None, None, DagRunType.MANUAL, APRIL_2026) is None


def test_a_scheduled_run_without_a_logical_date_loads_everything() -> None:
    assert run_years(None, None, "scheduled", None) is None


def test_land_step_lands_the_chosen_years_only(tmp_path: Path) -> None:
    """A year's files are its folder's; a file outside every year folder lands only with
    every year (docs/operations.md, the inbox; README: `--year 2020` loads only 2020/)."""
    inbox = tmp_path / "inbox"
    for rel in ("2016/a/x.txt", "2017/y.txt", "2018/deep/er/z.html", "loose.txt"):
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        (inbox / rel).write_text(f"report {rel}", encoding="utf-8")
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    out = land_step(inbox, warehouse, None, [2018, 2016])
    landed = json.loads(Path(out["manifest"]).read_text(encoding="utf-8"))
    assert sorted(r["source_path"] for r in landed) == ["2016/a/x.txt", "2018/deep/er/z.html"]
    assert out["years"] == [2016, 2018] and out["files"] == 2
    every = land_step(inbox, warehouse, None)
    assert every["files"] == 4 and every["manifest"] != out["manifest"]
    assert land_step(inbox, warehouse, 2017)["files"] == 1


def test_a_loose_report_of_another_year_is_not_loaded_by_a_year(tmp_path: Path) -> None:
    """`--year 2022` beside a 2023 report at the inbox's top: only 2022/ is landed, the CLI
    and the DAG's land task say the same of a year with no folder, and a run of every year
    lands the loose report."""
    inbox = tmp_path / "inbox"
    (inbox / "2022").mkdir(parents=True)
    (inbox / "2022" / "a.txt").write_text("2022年政府信息公开工作年度报告", encoding="utf-8")
    (inbox / "b.txt").write_text("2023年政府信息公开工作年度报告", encoding="utf-8")
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    out = land_step(inbox, warehouse, 2022)
    landed = json.loads(Path(out["manifest"]).read_text(encoding="utf-8"))
    assert [r["source_path"] for r in landed] == ["2022/a.txt"]
    with pytest.raises(NothingToLoad) as refused:
        land_step(inbox, warehouse, 2023)
    line = f"nothing to load: no report file under {inbox / '2023'}"
    assert str(refused.value) == line
    result = CliRunner().invoke(
        main, ["load", "--inbox", str(inbox), "--year", "2023", "--warehouse", str(warehouse)]
    )
    assert result.exit_code == 3 and result.output.strip() == f"Error: {line}"
    every = land_step(inbox, warehouse, None)
    assert every["files"] == 2
