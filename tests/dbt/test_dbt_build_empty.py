"""`dbt build` and `dbt docs generate` on a warehouse whose raw tables are all empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from xxgk.transform import DbtResult, run_dbt_build, run_dbt_docs_generate

pytestmark = pytest.mark.integration

WarehouseFactory = Callable[..., Path]
MARTS = (
    "dim_metrics",
    "dim_agencies",
    "dim_reports",
    "fct_report_cells",
    "fct_narrative_facts",
    "fct_extraction_issues",
)


@pytest.fixture(scope="module")
def built_empty(
    tmp_path_factory: pytest.TempPathFactory, make_warehouse: WarehouseFactory
) -> tuple[Path, DbtResult]:
    warehouse = make_warehouse(tmp_path_factory.mktemp("empty") / "warehouse.duckdb", {})
    return warehouse, run_dbt_build(warehouse)


def test_build_succeeds_on_empty_raw_tables(built_empty: tuple[Path, DbtResult]) -> None:
    _, result = built_empty
    assert result.success
    assert (result.failed, result.errored, result.skipped) == (0, 0, 0)


def test_marts_exist_and_are_empty(built_empty: tuple[Path, DbtResult]) -> None:
    warehouse, _ = built_empty
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart in MARTS:
            assert con.execute(f"select count(*) from main.{mart}").fetchone() == (0,), mart
        schemas = {
            row[0] for row in con.execute("select schema_name from duckdb_schemas()").fetchall()
        }
    assert {"raw", "staging", "main"} <= schemas
    assert not any(name.startswith("main_") for name in schemas)


def test_docs_generate_writes_catalog(built_empty: tuple[Path, DbtResult]) -> None:
    warehouse, build = built_empty
    result = run_dbt_docs_generate(warehouse)
    target = build.run_results_path.parent
    assert result.success
    assert (target / "catalog.json").is_file() and (target / "index.html").is_file()
