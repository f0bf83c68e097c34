"""Report text is shown as it is, never read as terminal markup: an agency or file name
with ``[/x]`` or ``[bold]`` in it is printed literally by ``xxgk quality``, ``xxgk status``
and ``xxgk sql`` (rich once failed the whole table with a MarkupError, or swallowed the
tags), and its control characters (terminal escape sequences) are written out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from xxgk.orchestration.cli import main
from xxgk.publish.views import QueryResult

AGENCY = "演示区[/x]人社局[bold]"
FILE = "2023/[b]r[/b] [red]f[/].html"  # within the file column's 32 characters
EMOJI = ":smile: [link=http://x]y[/link]"  # emoji codes and links are markup too
ESCAPES = "红\x1b[31m字\x1b]0;title\x07"  # recolour, retitle the terminal
QUALITY_COLUMNS = ["year", "agency", "file_name", "format", "rule_id", "severity", "lhs", "rhs"]


def _run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result


def _warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    path.touch()  # views.connect refuses a missing warehouse; the views are patched
    return path


def test_quality_shows_markup_in_agency_and_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = (2023, AGENCY, FILE, "v2021", "v2021.t3[/x]", ESCAPES, 30.0, 29.0)
    monkeypatch.setattr(
        "xxgk.publish.views.findings", lambda *a, **k: QueryResult(QUALITY_COLUMNS, [row])
    )
    out = _run("quality", "--warehouse", str(_warehouse(tmp_path))).stdout
    for text in (AGENCY, FILE, "v2021.t3[/x]", r"红\x1b[31m字\x1b]0;title\x07"):
        assert text in out
    assert "\x1b" not in out and "\x07" not in out


def test_status_shows_markup_in_every_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = QueryResult(["year", "format [/x]", "reports"], [(2023, "[bold]v2021", 1)])
    quarantine = QueryResult(["reason", "files"], [(EMOJI, 1)])
    counts = QueryResult(["unknown", "reports"], [(ESCAPES, 1)])
    files = QueryResult(["file_name", "agency", "unknown"], [(FILE, AGENCY, "region")])
    monkeypatch.setattr("xxgk.publish.views.status", lambda w: (reports, quarantine))
    monkeypatch.setattr("xxgk.publish.views.unknowns", lambda w: (counts, files))
    copies = QueryResult(["file", "duplicates"], [("[i]copy[/i].html", FILE)])
    monkeypatch.setattr(
        "xxgk.publish.views.completeness", lambda w: [("Which copies [/x]", copies)]
    )
    out = _run("status", "--warehouse", str(_warehouse(tmp_path))).stdout
    for text in ("format [/x]", "[bold]v2021", EMOJI, FILE, AGENCY, r"\x1b[31m", "[i]copy[/i]"):
        assert text in out, text
    assert "\x1b" not in out


@pytest.mark.parametrize("wide", [False, True], ids=["grid", "one block per row"])
def test_sql_shows_markup_in_values_and_column_names(tmp_path: Path, wide: bool) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table dim_agencies (agency_name varchar, file_name varchar)")
        con.execute("insert into dim_agencies values (?, ?)", [AGENCY, FILE])
        con.execute("insert into dim_agencies values (?, ?)", [ESCAPES, "\x9b2J"])
    pad = ", repeat('x', 300) as pad" if wide else ""  # too wide for a grid
    query = f"select agency_name as \"[/x]\", file_name, '{EMOJI}' as e{pad} from dim_agencies"
    out = _run("sql", "--warehouse", str(warehouse), query).stdout
    for text in ("[/x]", AGENCY, FILE, EMOJI, r"\x1b]0;title\x07", r"\x9b2J"):
        assert text in out, text
    assert "\x1b" not in out and "\x9b" not in out
