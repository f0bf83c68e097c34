"""Which report years a run loads, and landing several years in one run."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

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


def test_land_step_lands_the_chosen_years_and_the_undated_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for rel in ("2016/a/x.txt", "2017/y.txt", "2018/deep/er/z.html", "loose.txt"):
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        (inbox / rel).write_text(f"report {rel}", encoding="utf-8")
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    out = land_step(inbox, warehouse, None, [2018, 2016])
    landed = json.loads(Path(out["manifest"]).read_text(encoding="utf-8"))
    assert sorted(r["source_path"] for r in landed) == [
        "2016/a/x.txt",
        "2018/deep/er/z.html",
        "loose.txt",
    ]
    assert out["years"] == [2016, 2018] and out["files"] == 3
    every = land_step(inbox, warehouse, None)
    assert every["files"] == 4 and every["manifest"] != out["manifest"]
    assert land_step(inbox, warehouse, 2017)["files"] == 2
