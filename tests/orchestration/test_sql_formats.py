"""`xxgk sql` as an analyst uses it: output formats another program can read (NULL apart from
'', counts as integers), a file of statements, wide results that stay readable, and the real
DuckDB shell — multi-line input, dot commands — behind the same sandbox."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from xxgk.orchestration.cli import main

XXGK = Path(sys.executable).parent / "xxgk"


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table main.cells as select * from (values "
            "('示例市统计局', 2021, 17.0, 'a|b'), ('样本县水利局', 2022, NULL, ''), "
            "('样本县农业局', 2022, 12.5, 'x,\"y\"')) t(agency, year, value, note)"
        )
        con.execute(
            "create table main.wide as select "
            + ", ".join(f"'value of column {i}' as column_{i}" for i in range(40))
        )
    return path


def _sql(warehouse: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["sql", "--warehouse", str(warehouse), *args])
    assert result.exit_code == 0, result.output
    return result.output


QUERY = "select agency, year, value, note from main.cells order by agency"


def test_csv_keeps_null_apart_from_empty_and_counts_whole(warehouse: Path) -> None:
    out = _sql(warehouse, "--format", "csv", QUERY)
    assert out.splitlines()[0] == "agency,year,value,note"
    assert "示例市统计局,2021,17,a|b" in out.splitlines()  # 17.0 prints as 17
    assert '样本县水利局,2022,,""' in out.splitlines()  # NULL empty, '' quoted
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[1] == ["样本县农业局", "2022", "12.5", 'x,"y"']


def test_json_lines_with_null_and_integers(warehouse: Path) -> None:
    out = _sql(warehouse, "--format", "json", QUERY)
    records = [json.loads(line) for line in out.splitlines()]
    assert records[2] == {"agency": "示例市统计局", "year": 2021, "value": 17, "note": "a|b"}
    assert isinstance(records[2]["value"], int)
    assert records[1]["value"] is None and records[1]["note"] == ""


def test_markdown_shows_null_and_escapes_pipes(warehouse: Path) -> None:
    out = _sql(warehouse, "--format", "markdown", QUERY)
    assert out.splitlines()[:2] == ["| agency | year | value | note |", "|---|---|---|---|"]
    assert "| 示例市统计局 | 2021 | 17 | a\\|b |" in out
    assert "| 样本县水利局 | 2022 | NULL |  |" in out


def test_table_grid_shows_null(warehouse: Path) -> None:
    out = _sql(warehouse, QUERY)
    row = next(line for line in out.splitlines() if "样本县水利局" in line)
    assert "NULL" in row and "17.0" not in out and " 17 " in out


def test_a_wide_result_becomes_one_block_per_row(warehouse: Path) -> None:
    out = _sql(warehouse, "select * from main.wide")
    assert "…" not in out
    assert out.splitlines()[0].startswith("-[ row 1 ]")
    assert "column_39 | value of column 39" in out and out.rstrip().endswith("(1 row)")


def test_a_file_of_statements_runs_each_in_turn(warehouse: Path, tmp_path: Path) -> None:
    script = tmp_path / "q.sql"
    script.write_text(
        "-- two queries\nselect count(*) as n from main.cells;\n\n"
        "select max(year) as latest\nfrom main.cells;\n",
        encoding="utf-8",
    )
    out = _sql(warehouse, "--format", "csv", "-f", str(script))
    assert out.splitlines() == ["n", "3", "latest", "2022"]


@pytest.mark.parametrize("text", [";", "-- only a comment", "  "])
def test_no_statement_is_one_line_and_an_error(warehouse: Path, text: str) -> None:
    result = CliRunner().invoke(main, ["sql", "--warehouse", str(warehouse), text])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: no SQL statement to run (only comments or an empty query)"
    )


def test_the_shell_is_duckdbs_behind_the_sandbox(warehouse: Path, tmp_path: Path) -> None:
    typed = (
        f"copy (select 1) to '{tmp_path}/x.csv';\n"
        "select 41\n  + 1 as answer;\n"  # one statement over two lines
        ".tables\n"
        ".mode csv\n"
        "select year, value from main.cells where value is null;\n"
    )
    proc = subprocess.run(
        [str(XXGK), "sql", "--warehouse", str(warehouse)],
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "file system operations are disabled" in proc.stderr
    assert not (tmp_path / "x.csv").exists()
    assert "42" in proc.stdout
    assert "cells" in proc.stdout and "wide" in proc.stdout  # .tables
    assert "year,value\n2022,NULL" in proc.stdout  # .mode csv
