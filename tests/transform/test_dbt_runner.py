"""The dbt runner: a failing build, run_results parsing, project lookup."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from xxgk.core.exceptions import DbtBuildFailed
from xxgk.transform.dbt import (
    DBT_PROJECT_DIR_ENV,
    DEFAULT_DBT_PROJECT_DIR,
    DbtResult,
    _read_run_results,
    dbt_project_dir,
    default_target_dir,
    run_dbt_build,
)

WarehouseFactory = Callable[..., Path]


@pytest.mark.integration
def test_failing_test_raises_with_node_names(
    tmp_path: Path, make_warehouse: WarehouseFactory
) -> None:
    key = "ab" * 32
    cell = {"report_sha256": key, "cell_no": 1, "metric": None, "value": 1.0, "raw": "1"}
    warehouse = make_warehouse(
        tmp_path / "warehouse.duckdb",
        {
            "reports": [{"report_sha256": key, "status": "ok", "format": "old"}],
            "cells": [cell, cell],  # the same cell twice: report_cell_key is not unique
        },
    )

    with pytest.raises(DbtBuildFailed) as caught:
        run_dbt_build(warehouse, select="+fct_report_cells")

    assert "test.xxgk.unique_fct_report_cells_report_cell_key" in "\n".join(
        caught.value.failing_nodes
    )
    assert "unique_fct_report_cells_report_cell_key" in str(caught.value)


def test_read_run_results_counts_statuses(tmp_path: Path) -> None:
    path = tmp_path / "run_results.json"
    statuses = ["success", "pass", "pass", "warn", "fail", "error", "skipped"]
    results = [{"unique_id": f"node.{i}", "status": s} for i, s in enumerate(statuses)]
    path.write_text(json.dumps({"results": results}), encoding="utf-8")

    result = _read_run_results("build", path, returncode=1)

    assert (result.passed, result.warned, result.failed, result.errored, result.skipped) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert result.failing_nodes == ("node.4", "node.5")
    assert not result.success


def test_read_run_results_without_file_is_a_failure_when_dbt_failed(tmp_path: Path) -> None:
    result = _read_run_results("build", tmp_path / "missing.json", returncode=2)
    assert not result.success and result.passed == 0 and result.failing_nodes == ()


def test_project_dir_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DBT_PROJECT_DIR_ENV, raising=False)
    assert dbt_project_dir() == DEFAULT_DBT_PROJECT_DIR
    assert (DEFAULT_DBT_PROJECT_DIR / "dbt_project.yml").is_file()
    monkeypatch.setenv(DBT_PROJECT_DIR_ENV, str(tmp_path))
    assert dbt_project_dir() == tmp_path


def test_default_target_dir_is_next_to_the_warehouse(tmp_path: Path) -> None:
    target = default_target_dir(tmp_path / "warehouse.duckdb")
    assert target == tmp_path.resolve() / "dbt" / "warehouse" / "target"


def test_dbt_step_is_incremental_unless_asked_or_the_project_changed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import xxgk.transform.dbt
    from xxgk.orchestration.pipeline import dbt_build_step

    project = tmp_path / "dbt_project"
    project.mkdir()
    (project / "model.sql").write_text("select 1", encoding="utf-8")
    monkeypatch.setenv(DBT_PROJECT_DIR_ENV, str(project))
    calls: list[bool] = []

    def build(warehouse: Path, *, full_refresh: bool = False) -> DbtResult:
        calls.append(full_refresh)
        return DbtResult("build", True, 1, 0, 0, 0, 0, tmp_path / "run_results.json")

    monkeypatch.setattr(xxgk.transform.dbt, "run_dbt_build", build)
    docs: list[bool] = []
    monkeypatch.setattr(
        xxgk.transform.dbt, "run_dbt_docs_generate", lambda _w, *, static: docs.append(static)
    )
    warehouse = tmp_path / "warehouse.duckdb"

    def step(fingerprint: str, full_refresh: bool = False) -> bool:
        built = dbt_build_step(warehouse, {"fingerprint": fingerprint}, full_refresh)
        return bool(built["skipped"])

    assert not step("a")  # the first build (dbt itself knows it builds everything)
    assert not step("b")  # new inputs: incremental
    assert step("b")  # nothing changed: skipped
    assert not step("b", full_refresh=True)  # asked for
    (project / "model.sql").write_text("select 2", encoding="utf-8")
    assert not step("b")  # the project changed: every row again
    assert not step("c")
    assert calls == [False, False, True, True, False]
    # dbt's docs follow every build; the skipped one keeps them (here: none written, so again)
    assert docs == [True] * 6
