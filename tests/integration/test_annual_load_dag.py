"""End to end: the yearly DAG (airflow dags test) on the five seed reports, run twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.support.checksums import warehouse_checksums
from xxgk.extract.batches import MANIFEST_DIR
from xxgk.orchestration.airflow_local import run_dag_test

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    inbox = root / "inbox"
    shutil.copytree(seeds_dir, inbox)
    warehouse = root / "data" / "warehouse.duckdb"
    code = run_dag_test(inbox, warehouse, None, batch_size=2, quiet=True)
    assert code == 0, f"dags test failed; logs under {root / 'data' / 'airflow'}"
    return warehouse


def test_seed001_value_reaches_the_fact_table(loaded: Path) -> None:
    with duckdb.connect(str(loaded), read_only=True) as con:
        rows = con.execute(
            "SELECT f.value, f.raw_text, f.locator, r.file_name FROM main.fct_report_cells f "
            "JOIN main.dim_reports r USING (report_key) JOIN main.dim_metrics m USING "
            "(metric_key) WHERE m.metric_code = 'old_act_info_total' AND r.report_year = 2017"
        ).fetchall()
    assert rows == [(492.0, "492", "table 1, row 3, column 1", rows[0][3])]
    assert rows[0][3].startswith("001_")


def test_one_dim_reports_row_per_file_and_blank_stays_null(loaded: Path) -> None:
    with duckdb.connect(str(loaded), read_only=True) as con:
        formats = sorted(
            r[0] for r in con.execute("SELECT format FROM main.dim_reports").fetchall()
        )
        blank = con.execute(
            "SELECT value, is_blank FROM main.fct_report_cells "
            "WHERE metric_code = 'old_act_ch_gazette' AND report_year = 2017"
        ).fetchone()
    assert formats == ["narrative", "narrative", "old", "old", "v2019"]
    assert blank == (None, True)


def test_quality_report_written(loaded: Path) -> None:
    docs = loaded.parent / "quality" / "gx_docs" / "index.html"
    assert docs.is_file() and docs.stat().st_size > 1000


def test_a_rerun_with_the_same_files_changes_and_redoes_nothing(loaded: Path) -> None:
    data = loaded.parent
    before = warehouse_checksums(loaded)
    committed = set((data / "extracted" / MANIFEST_DIR).glob("batch-*.json"))
    outputs = [
        data / "dbt" / loaded.stem / "target" / "run_results.json",
        data / "quality" / "last_validation.json",
    ]
    stamps = [p.stat().st_mtime_ns for p in outputs]

    assert run_dag_test(data.parent / "inbox", loaded, None, batch_size=2, quiet=True) == 0

    assert warehouse_checksums(loaded) == before
    new = set((data / "extracted" / MANIFEST_DIR).glob("batch-*.json")) - committed
    assert [json.loads(p.read_text(encoding="utf-8"))["files"] for p in new] in ([], [0])
    assert [p.stat().st_mtime_ns for p in outputs] == stamps  # dbt and GX were skipped
