"""``xxgk load`` progress: the steps of a recorded ``airflow dags test`` run, in order.

The run is a replay of the real output of ``xxgk load --inbox samples/inbox --batch-size 3``
(tests/orchestration/fixtures/dags_test_samples.log) by a stand-in ``airflow`` process, so the
streaming, the log file and the non-TTY display are exercised without a load. Steps are
timed by the log's own timestamps, so the recorded run's times are known: land's task ran
1.8 s, after 23.6 s of Airflow start-up (from the first line; 19.4 s of it between
``[DAG TEST] starting task_id=land`` and the task's start).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from xxgk.orchestration import airflow_local
from xxgk.orchestration.cli import main
from xxgk.orchestration.names import STEPS
from xxgk.orchestration.progress import LoadProgress, line_time

HERE = Path(__file__).resolve().parent
RECORDED = HERE / "fixtures" / "dags_test_samples.log"


def _lines() -> list[str]:
    return RECORDED.read_text(encoding="utf-8").splitlines()


def test_progress_follows_the_recorded_run() -> None:
    progress = LoadProgress()
    changes = [name for line in _lines() if (name := progress.feed(line))]
    assert [s.state for s in progress.steps.values()] == ["success"] * len(STEPS)
    extract = progress.steps["extract"]
    assert (extract.done, extract.total) == (3, 3)
    assert list(dict.fromkeys(changes)) == list(STEPS)  # first seen in DAG order
    assert progress.run_state == "success"


def test_each_step_is_timed_from_its_own_start_and_the_start_up_apart() -> None:
    """The recorded land task ran 1.8 s (Task started 00:09:38.38 → end 00:09:40.19); timed
    from ``[DAG TEST] starting`` (00:09:18.99) it read 21.2 s, Airflow's start-up in it."""
    lines = _lines()
    progress = LoadProgress(began_at=line_time(lines[0]))
    for line in lines:
        progress.feed(line)
    seconds = {name: round(step.seconds, 1) for name, step in progress.steps.items()}
    assert seconds["land"] == 1.8
    # the mapped step: from its first batch's start to its last batch's end
    assert seconds["extract"] == 11.5
    assert progress.startup_seconds is not None and round(progress.startup_seconds, 1) == 23.6


def test_a_failed_task_fails_its_step_and_later_steps_stay_pending() -> None:
    progress = LoadProgress()
    for line in _failed_run():
        progress.feed(line)
    states = {name: step.state for name, step in progress.steps.items()}
    assert states["load"] == "success" and states["dbt_build"] == "failed"
    assert states["validate"] == states["summarize"] == "pending"
    assert progress.run_state == "failed"


def test_mapped_batches_without_a_readable_plan_still_finish() -> None:
    progress = LoadProgress()
    for line in _lines():
        if "Returned value was: [" not in line:  # the plan's batch list is not in the log
            progress.feed(line)
    extract = progress.steps["extract"]
    assert extract.state == "success" and extract.total is None and extract.done == 3


def _failed_run() -> list[str]:
    lines = _lines()
    cut = next(i for i, line in enumerate(lines) if "running dbt build" in line)
    return [
        *lines[: cut + 1],
        "2026-11-24T00:10:00Z [error    ] Task failed with exception [task]",
        "2026-11-24T00:10:01Z [info     ] Task instance state updated [airflow] "
        "new_state=failed rows_affected=1",
        "2026-11-24T00:10:01Z [info     ] [DAG TEST] end task task_id=dbt_build map_index=-1",
        "2026-11-24T00:10:02Z [info     ] DagRun Finished: dag_id=xxgk_annual_load, "
        "state=failed, run_type=manual",
    ]


@pytest.fixture
def fake_airflow(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """``airflow`` replays RECORDED; the data dir's Airflow home counts as migrated."""
    monkeypatch.setattr(
        airflow_local,
        "_airflow_command",
        lambda args: [sys.executable, str(HERE / "fake_airflow.py"), *args],
    )
    monkeypatch.setenv("XXGK_FAKE_LOG", str(RECORDED))
    data = tmp_path / "data"
    (data / "airflow").mkdir(parents=True)
    (data / "airflow" / ".xxgk-ready").write_text("ok\n")
    (tmp_path / "inbox").mkdir()
    # an empty inbox is refused before Airflow starts (tests/orchestration/test_nothing_to_load.py)
    (tmp_path / "inbox" / "report.txt").write_text("一份报告", encoding="utf-8")
    return data / "warehouse.duckdb"


def _outcome(warehouse: Path) -> dict[str, Any]:
    return {
        "ok": True,
        "warehouse": str(warehouse),
        "reports": 8,
        "by_status": {"ok": 8},
        "quality_report": str(warehouse.parent / "quality" / "gx_docs" / "index.html"),
        "failed_rules": {"error": 1, "warning": 1},
    }


def _load(warehouse: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        main,
        [
            "load",
            "--inbox",
            str(warehouse.parent.parent / "inbox"),
            "--warehouse",
            str(warehouse),
            *extra,
        ],
    )


def test_load_prints_one_line_per_step_in_order(
    fake_airflow: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xxgk.orchestration.pipeline.load_outcome", _outcome)
    result = _load(fake_airflow)
    assert result.exit_code == 0, result.output
    done = re.findall(r"^\[(\d)/7\] (\w+) done", result.stderr, re.M)
    assert done == [(str(i), s) for i, s in enumerate(STEPS, 1)]
    started = re.findall(r"^\[\d/7\] (\w+) …$", result.stderr, re.M)
    assert started == list(STEPS)
    assert "[3/7] extract 1/3 batches" in result.stderr
    progress_lines = result.stderr.splitlines()[1:]  # after "loading … into …"
    startup = re.fullmatch(r"Airflow started \((\d+\.\d) s\)", progress_lines[0])
    assert startup and float(startup[1]) >= 23.6, progress_lines  # the recorded run's, at least
    assert all(
        re.fullmatch(r"\[\d/7\] \w+ (…|\d/3 batches|done \(.+ s\))", line)
        for line in progress_lines[1:]
    ), progress_lines
    assert "[1/7] land done (1.8 s)" in progress_lines  # the task's own time
    assert "[3/7] extract done (3/3 batches, 11.5 s)" in progress_lines
    assert "DAG TEST" not in result.output  # Airflow's own lines only in the log
    log = (fake_airflow.parent / "airflow" / "last_load.log").read_text(encoding="utf-8")
    assert [_untimed(line) for line in log.splitlines()] == [_untimed(line) for line in _lines()]
    assert f"warehouse:      {fake_airflow}" in result.stdout
    assert "reviewer page:" in result.stdout and "last_load.log" in result.stdout


def _untimed(line: str) -> str:
    """A log line without its timestamp (the replay moves them to now)."""
    return re.sub(r"^\d{4}-\d\d-\d\dT[\d:.]+Z?", "", line)


def test_verbose_load_also_shows_airflow_output(
    fake_airflow: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("xxgk.orchestration.pipeline.load_outcome", _outcome)
    result = _load(fake_airflow, "--verbose")
    assert result.exit_code == 0
    assert "[DAG TEST] starting task_id=land" in result.stderr
    assert "[7/7] summarize done" in result.stderr


def test_a_failed_load_names_the_step_and_the_log(
    fake_airflow: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    failed_log = tmp_path / "failed.log"
    failed_log.write_text("\n".join(_failed_run()) + "\n", encoding="utf-8")
    monkeypatch.setenv("XXGK_FAKE_LOG", str(failed_log))
    monkeypatch.setenv("XXGK_FAKE_EXIT", "1")
    monkeypatch.setattr(
        "xxgk.orchestration.pipeline.load_outcome", lambda w: {**_outcome(w), "ok": False}
    )
    result = _load(fake_airflow)
    assert result.exit_code == 1
    assert "[5/7] dbt_build FAILED" in result.stderr
    assert "validate" not in result.stderr
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: the load did not complete at step dbt_build (airflow exit 1)")
    assert last.endswith("last_load.log")
