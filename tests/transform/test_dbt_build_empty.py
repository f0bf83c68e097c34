"""`dbt build` and `dbt docs generate` on a warehouse whose raw tables are all empty."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from xxgk.transform.dbt import DbtResult, run_dbt_build, run_dbt_docs_generate

pytestmark = pytest.mark.integration

WarehouseFactory = Callable[..., Path]
# marts built from extracted rows: empty when nothing was extracted
MARTS = (
    "dim_agencies",
    "fct_agency_year_measure_values",
    "fct_agency_year_measures",
    "dim_reports",
    "fct_report_cells",
    "fct_narrative_facts",
    "fct_extraction_issues",
)
# dimensions built from the dictionary and reference seeds: filled even then
SEEDED_DIMENSIONS = (
    "dim_metrics",
    "dim_measures",
    "dim_formats",
    "dim_applicant_types",
    "dim_regions",
    "dim_years",
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


def test_extracted_marts_empty_seeded_dimensions_filled(
    built_empty: tuple[Path, DbtResult],
) -> None:
    warehouse, _ = built_empty
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart in MARTS:
            assert con.execute(f"select count(*) from main.{mart}").fetchone() == (0,), mart
        for dimension in SEEDED_DIMENSIONS:
            [(rows,)] = con.execute(f"select count(*) from main.{dimension}").fetchall()
            assert rows > 0, dimension
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
    # the build's results are still the build's (docs generate wrote its own run_results.json)
    kept = json.loads(build.run_results_path.read_text(encoding="utf-8"))
    assert kept["args"]["which"] == "build"
    assert "model.xxgk.fct_report_cells" in {node["unique_id"] for node in kept["results"]}


def test_every_model_and_column_is_described(built_empty: tuple[Path, DbtResult]) -> None:
    warehouse, build = built_empty
    target = build.run_results_path.parent
    if not (target / "catalog.json").is_file():
        run_dbt_docs_generate(warehouse)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    undescribed = []
    for unique_id, node in {**catalog["nodes"], **catalog["sources"]}.items():
        spec = manifest["nodes"].get(unique_id) or manifest["sources"][unique_id]
        if "/quality/" in spec["original_file_path"]:
            continue  # the quality marts and seeds are documented by their owner
        described = {name.lower() for name, c in spec["columns"].items() if c.get("description")}
        missing = {name.lower() for name in node["columns"]} - described
        if missing or not spec.get("description"):
            undescribed.append(f"{unique_id}: {sorted(missing) or 'model description'}")
    assert not undescribed, "\n".join(undescribed)
