"""Nothing to load is said in one line with its own exit code, before Airflow starts; a
missing file given to `xxgk extract` is refused (it used to print a quarantined record and
exit 0)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import REPO
from xxgk.core.db import WAREHOUSE_SCHEMAS
from xxgk.orchestration.cli import main
from xxgk.orchestration.load_cli import NothingToLoad


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_an_empty_inbox_is_refused_in_one_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2020").mkdir(parents=True)
    (inbox / ".hidden").write_text("not a report", encoding="utf-8")
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    code, out = _run("load", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert code == NothingToLoad.exit_code == 3
    assert out.strip().splitlines() == [f"Error: nothing to load: {inbox} has no report file"]
    assert not warehouse.parent.exists()  # Airflow never started, nothing written


def test_a_year_without_files_is_refused_even_with_undated_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "2019").mkdir(parents=True)
    (inbox / "2019" / "report.txt").write_text("2019年报告", encoding="utf-8")
    (inbox / "undated.txt").write_text("报告", encoding="utf-8")
    code, out = _run(
        "load", "--inbox", str(inbox), "--year", "2020", "--warehouse", str(tmp_path / "w.duckdb")
    )
    assert code == 3
    assert out.strip() == f"Error: nothing to load: no report file under {inbox / '2020'}"


def test_extract_of_a_missing_file_exits_non_zero(tmp_path: Path) -> None:
    code, out = _run("extract", str(tmp_path / "missing.html"), "--json")
    assert code == 2 and "does not exist" in out
    code, out = _run("extract", str(tmp_path))  # a folder is not a report either
    assert code == 2 and "is a directory" in out


def test_a_warehouse_named_like_a_schema_is_refused_before_loading(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_text("2020年政府信息公开工作年度报告", encoding="utf-8")
    warehouse = tmp_path / "data" / "raw.duckdb"
    code, out = _run("load", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert code == 2
    assert "raw.duckdb is named like the warehouse's schema 'raw'" in out
    assert not warehouse.parent.exists()  # Airflow never started, nothing written


def test_the_refused_names_are_every_schema_the_warehouse_has() -> None:
    """``raw`` is the load's; the rest are dbt's ``+schema`` settings."""
    project = (REPO / "dbt_project" / "dbt_project.yml").read_text(encoding="utf-8")
    assert WAREHOUSE_SCHEMAS == {"raw", *re.findall(r"\+schema: *(\w+)", project)}
