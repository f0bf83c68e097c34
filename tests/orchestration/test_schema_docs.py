"""The warehouse explains itself: every mart and every mart column carries its schema-YAML
description as a DuckDB comment (dbt persist_docs), and `xxgk schema` prints them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import yaml
from click.testing import CliRunner

from tests.conftest import REPO
from xxgk.orchestration.cli import main

XXGK = Path(sys.executable).parent / "xxgk"


def _documented() -> dict[str, dict[str, str]]:
    """mart → column → description, from the marts' schema YAML."""
    out: dict[str, dict[str, str]] = {}
    for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            out[model["name"]] = {
                c["name"]: c.get("description", "") for c in model.get("columns", [])
            }
    return out


def test_every_mart_column_carries_its_description(demo_warehouse: Path) -> None:
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        rows = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'main' and not internal"
        ).fetchall()
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'main'"
        ).fetchall()
    assert rows and all(comment for _, _, comment in rows), [r[:2] for r in rows if not r[2]]
    assert all(comment for _, comment in tables)
    documented = _documented()
    for table, column, comment in rows:
        assert comment.strip() == documented[table][column].strip(), (table, column)


def test_xxgk_schema_lists_the_marts_and_a_marts_columns(demo_warehouse: Path) -> None:
    marts = CliRunner().invoke(main, ["schema", "--warehouse", str(demo_warehouse)])
    assert marts.exit_code == 0
    assert set(_documented()) <= {line for line in marts.output.splitlines() if line[:1] != " "}
    cells = CliRunner().invoke(
        main, ["schema", "--warehouse", str(demo_warehouse), "fct_report_cells"]
    )
    assert cells.exit_code == 0
    first = _documented()["fct_report_cells"]
    column = next(iter(first))
    assert cells.output.startswith(f"{column}  (")
    assert " ".join(first[column].split())[:40] in " ".join(cells.output.split())


def test_an_unknown_table_is_one_line_naming_the_marts(demo_warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--warehouse", str(demo_warehouse), "nope"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown table 'nope'; the marts are: dim_agencies")
    assert len(result.output.strip().splitlines()) == 1


def test_a_reader_that_stops_early_is_no_error(demo_warehouse: Path) -> None:
    proc = subprocess.run(
        f"'{XXGK}' schema --warehouse '{demo_warehouse}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == "dim_agencies" and "Error" not in proc.stderr
