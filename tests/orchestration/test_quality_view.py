"""`xxgk quality` in a terminal: the file name tells two reports of one agency-year apart,
and the table fits the terminal's width (never wider, never cut with "…")."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from xxgk.orchestration.cli import main
from xxgk.orchestration.terminal import QUALITY_LAYOUT, render

COLUMNS = [
    "year",
    "agency",
    "file_name",
    "format",
    "rule_id",
    "severity",
    "lhs",
    "rhs",
    "difference",
    "message",
]
ROWS = [
    (
        2023,
        "演示区人力资源和社会保障局",
        "2023/renshe-report-final.html",
        "v2021",
        "v2021.t3.balance.natural_person",
        "error",
        30.0,
        29.0,
        1.0,
        "表三不平衡：左 30，右 29",
    ),
    (
        2023,
        "演示区人力资源和社会保障局",
        "2023/renshe-report-draft.pdf",
        "v2021",
        "v2021.t3.balance.natural_person",
        "error",
        31.0,
        29.0,
        2.0,
        "表三不平衡：左 31，右 29",
    ),
]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160, 250])
def test_the_table_fits_the_width_and_keeps_each_file_name_whole(width: int) -> None:
    text = render("Failed rules (2 shown)", COLUMNS, ROWS, QUALITY_LAYOUT, width)
    assert all(cell_len(line) <= width for line in _lines(text)), text
    assert _lines(text)[-1].rstrip().endswith("┘"), text  # nothing cropped on the right
    assert "…" not in text
    assert "2023/renshe-report-final.html" in text and "2023/renshe-report-draft.pdf" in text
    assert " 30 " in text and " 31 " in text and "30.0" not in text


def test_a_wide_terminal_shows_every_column() -> None:
    text = render("t", COLUMNS, ROWS, QUALITY_LAYOUT, 250)
    for header in (
        "year",
        "agency",
        "file",
        "format",
        "rule",
        "severity",
        "lhs",
        "rhs",
        "diff",
        "message",
    ):
        assert f" {header} " in text
    assert "演示区人力资源和社会保障局" in text and "v2021.t3.balance.natural_person" in text


@pytest.mark.integration
@pytest.mark.parametrize("width", ["80", "120"])
def test_quality_command_on_the_demo_warehouse(demo_warehouse: Path, width: str) -> None:
    result = CliRunner().invoke(
        main, ["quality", "--warehouse", str(demo_warehouse)], env={"COLUMNS": width}
    )
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert all(cell_len(line) <= int(width) for line in lines), result.output
    assert "yanshiqu-renshe.html" in result.output and "error" in result.output
