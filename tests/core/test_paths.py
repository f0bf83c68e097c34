"""The data directory's layout, defined once by ``xxgk.core.paths.DataDir``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from xxgk.core import env
from xxgk.core.paths import DataDir, LandingRun
from xxgk.transform.dbt import default_target_dir


def test_every_path_lies_in_the_warehouse_folder(tmp_path: Path) -> None:
    data = DataDir.of(tmp_path / "warehouse.duckdb")
    assert data.root == tmp_path.resolve()
    assert data.warehouse == data.root / "warehouse.duckdb"
    assert data.review == data.root / "review"
    assert data.sha_cache.parent == data.landing
    assert data.report_page.parent == data.rule_results.parent == data.quality
    assert data.gx_docs_index.parent == data.gx_docs
    assert data.load_log.parent == data.load_lock.parent == data.airflow


def test_a_landing_run_knows_its_files_and_its_data_directory(tmp_path: Path) -> None:
    data = DataDir(tmp_path)
    run = data.landing_run(tmp_path / "inbox", [2019, 2020])
    assert run.root.parent == data.landing
    assert run.root.name.startswith("2019-2020-")
    assert run == data.landing_run(tmp_path / "inbox", [2019, 2020])  # a re-run reuses it
    assert data.landing_run(tmp_path / "inbox", None).root.name.startswith("all-")
    again = LandingRun.of_manifest(str(run.manifest))
    assert again == run and again.data_dir == data
    run.root.mkdir(parents=True)
    for i in (1, 0):
        run.batch(i).write_text("[]")
    assert run.batches() == [run.batch(0), run.batch(1)]


def test_the_makefile_asks_the_package_for_dbt_paths(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    out = subprocess.run(
        [sys.executable, "-m", "xxgk.core.paths", "dbt-target", str(warehouse)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(out.strip()) == default_target_dir(warehouse)


def test_the_default_paths_are_the_data_directory_s() -> None:
    data = DataDir(Path(env.DEFAULT_WAREHOUSE).parent)
    assert Path(env.DEFAULT_WAREHOUSE) == data.warehouse
    assert Path(env.DEFAULT_INBOX) == data.inbox
