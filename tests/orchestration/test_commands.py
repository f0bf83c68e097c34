"""The user-facing commands on a warehouse built from the bundled samples."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.support.paths import SAMPLES_INBOX
from xxgk.orchestration.cli import main

SAMPLES = SAMPLES_INBOX
pytestmark = pytest.mark.integration


@pytest.fixture
def warehouse(demo_warehouse: Path) -> Path:
    """The session's demo warehouse (tests/orchestration/conftest.py): only read here."""
    return demo_warehouse


def _run(*args: str) -> tuple[int, str]:
    # as piped, whatever COLUMNS the test run has (pytest-xdist's workers set one): tables are
    # laid out for a wide page, so an id is never folded over two lines
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": None})
    return result.exit_code, result.output


def test_extract_prints_one_json_record_per_file() -> None:
    files = sorted(str(p) for p in SAMPLES.rglob("*.*"))
    code, out = _run("extract", *files, "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["source"] for r in records] == files
    assert {r["format"] for r in records} == {"narrative", "old", "v2019", "v2021"}


def test_status_counts_reports_per_year_and_format(warehouse: Path) -> None:
    code, out = _run("status", "--warehouse", str(warehouse))
    assert code == 0
    assert "2019" in out and "v2019" in out and "narrative" in out
    assert "Quarantined files" in out
    assert "Which files" in out  # the samples include reports without a division


def test_status_shows_completeness_duplicates_and_aggregates(warehouse: Path) -> None:
    from xxgk.publish.views import completeness

    views = dict(completeness(warehouse))
    (row,) = views["Completeness of current reports (ok = nothing unread, no table cut)"].rows
    ok, partial, cut, missing, unread, expected, read, unread_total = row
    # the bundled samples are complete: every printed cell read, nothing cut
    assert (partial, cut, missing, unread, unread_total) == (0, 0, 0, 0, 0) and ok > 0
    assert 0 < expected <= read
    assert views["Duplicate files (copies not counted as reports, fct_duplicate_files)"].rows == []
    code, out = _run("status", "--warehouse", str(warehouse))
    assert code == 0 and "Completeness of current reports" in out and "Duplicate files" in out


def test_status_lists_reports_with_unknown_agency_year_or_region(warehouse: Path) -> None:
    from xxgk.publish.views import unknowns

    counts, files = unknowns(warehouse)
    by_kind = dict(counts.rows)
    assert set(by_kind) == {"agency", "year", "region"}
    listed = {str(kind) for row in files.rows for kind in str(row[2]).split(", ")}
    for kind, n in by_kind.items():
        assert (n > 0) == (kind in listed)
    code, out = _run("status", "--warehouse", str(warehouse))
    assert all(str(row[0]) in out for row in files.rows)


def test_export_xlsx_has_one_sheet_per_mart(warehouse: Path, tmp_path: Path) -> None:
    code, out = _run(
        "export", "--warehouse", str(warehouse), "--to", "xlsx", "--out", str(tmp_path)
    )
    assert code == 0, out
    book = openpyxl.load_workbook(out.strip())
    assert {"dim_reports", "fct_report_cells", "dim_metrics"} <= set(book.sheetnames)
    assert book["dim_reports"].max_row == 9  # header + the eight sample reports


def test_export_csv_of_one_table(warehouse: Path, tmp_path: Path) -> None:
    code, out = _run(
        "export",
        "--warehouse",
        str(warehouse),
        "--to",
        "csv",
        "--table",
        "dim_reports",
        "--out",
        str(tmp_path),
    )
    assert code == 0
    lines = Path(out.strip()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("agency_name,report_year,") and len(lines) == 9


def test_sql_runs_read_only_queries(warehouse: Path) -> None:
    code, out = _run(
        "sql",
        "--warehouse",
        str(warehouse),
        "select count(*) as n from main.dim_reports where format = 'v2021'",
    )
    assert code == 0 and "3" in out
    code, out = _run("sql", "--warehouse", str(warehouse), "delete from main.dim_reports")
    assert code != 0 and "read-only" in out.lower()


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--to", "csv", "--table", "no_such_table"),
        ("status",),
    ],
)
def test_errors_are_one_clear_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    code, out = _run(*args, "--warehouse", str(tmp_path / "missing.duckdb"))
    assert code != 0
    assert out.strip().startswith("Error: no warehouse at")
    assert len(out.strip().splitlines()) == 1


def test_quality_lists_the_broken_sample(warehouse: Path) -> None:
    code, out = _run("quality", "--warehouse", str(warehouse), "--severity", "error")
    assert code == 0
    assert "v2021.t3.balance.natural_person" in out
    assert "演示区人力资源和社会保障局" in out
    code, out = _run("quality", "--warehouse", str(warehouse), "--year", "2019")
    assert code == 0 and "(0 shown)" in out  # the 2019 sample is consistent


@pytest.mark.parametrize(
    "command",
    ["extract", "load", "status", "export", "sql", "quality", "rules", "airflow-init", "ui"],
)
def test_every_command_explains_itself_with_an_example(command: str) -> None:
    code, out = _run(command, "--help")
    assert code == 0 and "Example: xxgk" in out
