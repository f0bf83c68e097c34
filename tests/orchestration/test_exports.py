"""`xxgk export` as a colleague opens it: names beside the keys, sorted rows, whole numbers
as integers, CSV that Excel reads as UTF-8, a workbook with a frozen, filterable header."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from xxgk.orchestration.cli import main
from xxgk.publish.exports import UTF8_BOM, display_width

pytestmark = pytest.mark.integration


def _export(warehouse: Path, out: Path, *args: str) -> list[Path]:
    result = CliRunner().invoke(
        main, ["export", "--warehouse", str(warehouse), "--out", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.output.split()]


def test_xlsx_reads_back_with_names_integers_and_a_usable_sheet(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    [path] = _export(demo_warehouse, tmp_path, "--to", "xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["fct_report_cells"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["agency_name", "report_year", "format", "file_name", "metric_label_zh"]
    assert {"metric_label_en", "value", "raw_text", "report_key", "metric_key"} <= set(header)
    assert header.index("report_key") > header.index("raw_text")  # keys after the names
    rows = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        cells = con.execute("select count(*) from main.fct_report_cells").fetchone()
    assert cells and len(rows) == cells[0]
    assert all(r["agency_name"] and r["file_name"] and r["metric_label_zh"] for r in rows)
    keys = [(r["agency_name"], r["report_year"], r["file_name"], r["cell_no"]) for r in rows]
    assert keys == sorted(keys)  # agency, year, file, then the table's order
    counts = [r["value"] for r in rows if r["raw_text"] == "507"]
    assert counts and all(type(v) is int for v in counts)  # 507, not 507.0
    amounts = [r["value"] for r in rows if r["raw_text"] == "2.45"]
    assert amounts == [2.45]
    assert all(type(r["report_year"]) is int for r in rows)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(rows) + 1}"
    widths = {c: sheet.column_dimensions[c].width for c in ("A", "D")}
    assert all(8 <= w <= 60 for w in widths.values()), widths
    assert widths["A"] >= display_width("演示区人力资源和社会保障局")
    measures = book["fct_agency_year_measures"]
    m_header = [c.value for c in measures[1]]
    received = [
        r[m_header.index("applications_received")].value for r in measures.iter_rows(min_row=2)
    ]
    assert 17 in received and all(v is None or type(v) is int for v in received)


def test_csv_has_a_bom_names_and_integers(demo_warehouse: Path, tmp_path: Path) -> None:
    [path] = _export(demo_warehouse, tmp_path, "--to", "csv", "--table", "fct_rule_results")
    raw = path.read_bytes()
    assert raw.startswith(UTF8_BOM)
    rows = list(csv.DictReader(raw[len(UTF8_BOM) :].decode("utf-8").splitlines()))
    assert list(rows[0])[:4] == ["agency_name", "report_year", "format_id", "file_name"]
    assert {"rule_title_zh", "rule_title_en"} <= set(rows[0])
    failed = [
        r
        for r in rows
        if r["rule_id"] == "v2021.t3.balance.natural_person" and r["outcome"] == "failed"
    ]
    assert [(f["agency_name"], f["lhs"], f["rhs"], f["difference"]) for f in failed] == [
        ("演示区人力资源和社会保障局", "30", "29", "1")
    ]
    assert not any(v.endswith(".0") for r in rows for v in r.values() if v)


def test_parquet_keeps_types_with_whole_number_columns_as_integers(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    [path] = _export(
        demo_warehouse, tmp_path, "--to", "parquet", "--table", "fct_agency_year_measures"
    )
    table = pq.read_table(path)
    assert table.column_names[:4] == ["agency_name", "report_year", "format_id", "file_name"]
    assert str(table.schema.field("applications_received").type) == "int64"
    assert str(table.schema.field("administrative_fees_amount").type) == "double"
