"""The analyst's commands: ``xxgk schema`` (what the marts hold) and ``xxgk compare`` (one
agency's two years side by side, or a region's year-over-year changes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from xxgk.orchestration.cli_options import echo_result, format_option, warehouse_option


@click.command("schema")
@warehouse_option()
@click.argument("table", required=False)
def schema_command(warehouse: Path, table: str | None) -> None:
    """The marts and what one row of each is; with TABLE, its columns and what each holds.

    Example: xxgk schema fct_report_cells
    """
    import textwrap

    from xxgk.publish.views import WarehouseMissing, schema

    try:
        result = schema(warehouse, table)
    except (WarehouseMissing, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    names = [str(row[0]) for row in result.rows]
    width = max(map(len, names), default=0) + 2
    text_width = max(40, shutil.get_terminal_size((100, 24)).columns - width)
    for row in result.rows:  # plain text: a description is data, never terminal markup
        head = str(row[0]) if table is None else f"{row[0]}  ({row[1]})"
        description = str(row[-1] or "(no description)")
        click.echo(head)
        click.echo(textwrap.indent(textwrap.fill(description, text_width), " " * 4))


@click.command("compare")
@warehouse_option()
@click.argument("agency", required=False)
@click.argument("years", nargs=-1, type=int)
@click.option(
    "--region",
    default=None,
    help='Instead of one agency: every agency whose region code starts with this ("" for '
    "all), each measure's change between consecutive years, one row each.",
)
@format_option()
def compare_command(
    warehouse: Path, agency: str | None, years: tuple[int, ...], region: str | None, fmt: str
) -> None:
    """One agency's two years side by side: every conformed measure, its change, the rules
    either year fails and the cross-year chains that break. Years default to its last two.

    Examples: xxgk compare 示例市统计局 2021 2022 · xxgk compare --region 44 --format csv
    """
    from xxgk.publish.compare import CompareError, compare, region_changes
    from xxgk.publish.views import WarehouseMissing

    if (agency is None) == (region is None):
        raise click.UsageError("give an AGENCY or --region, not both")
    if len(years) not in (0, 2):
        raise click.UsageError("give two years (YEAR_A YEAR_B) or none")
    try:
        if region is not None:
            echo_result(region_changes(warehouse, region), fmt)
            return
        assert agency is not None
        found = compare(warehouse, agency, *(years or (None, None)))
    except (WarehouseMissing, CompareError) as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "table":
        click.echo(f"{found.agency_name}: {found.year_a} → {found.year_b}")
    echo_result(found.measures, fmt)
    if fmt == "table":
        click.echo(f"rules failed or not checkable ({len(found.findings.rows)}):")
    echo_result(found.findings, fmt)
