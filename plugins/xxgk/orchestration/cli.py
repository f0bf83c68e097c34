"""The ``xxgk`` command line: a thin shell over the package (no Airflow at import time).

A failing command prints one line (``xxgk.orchestration.errors``) and exits non-zero; ``-v``
(before the command, or ``xxgk load -v``) shows the traceback instead.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from xxgk.core import env as xxgk_env
from xxgk.core.paths import DEFAULT_DATA_DIR
from xxgk.orchestration.analyst_cli import compare_command, schema_command
from xxgk.orchestration.cli_options import VERBOSE as _VERBOSE
from xxgk.orchestration.cli_options import WAREHOUSE as _WAREHOUSE
from xxgk.orchestration.cli_options import echo_result as _echo_result
from xxgk.orchestration.cli_options import format_option as _format_option
from xxgk.orchestration.cli_options import remember as _remember
from xxgk.orchestration.cli_options import warehouse_option as _warehouse_option
from xxgk.orchestration.errors import explain
from xxgk.orchestration.load_cli import load
from xxgk.orchestration.review_cli import review


class _Commands(click.Group):
    """The command group: an unexpected exception becomes one ``Error:`` line, exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # `xxgk … | head` stopped reading: not an error to report
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0) from None
        except Exception as exc:
            if ctx.meta.get(_VERBOSE):
                raise
            raise click.ClickException(explain(exc, ctx.meta.get(_WAREHOUSE))) from exc


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    expose_value=False,
    callback=_remember(_VERBOSE),
    help="Show the traceback of an error.",
)
@click.version_option(package_name="xxgk", prog_name="xxgk", message="%(prog)s %(version)s")
def main() -> None:
    """Warehouse of government information-disclosure annual reports (政府信息公开工作年度报告)."""


@main.command()
# a missing file is the user's mistake, not a report to quarantine: refused, exit code 2
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False)
)
@click.option("--json", "as_json", is_flag=True, help="One JSON record per file (JSON Lines).")
@click.option(
    "--hints",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="agencies.csv: path glob or URL pattern → agency, division.",
)
def extract(files: tuple[Path, ...], as_json: bool, hints: Path | None) -> None:
    """Extract the statistics of report FILES: one record per file (format, year, agency,
    every table cell with its raw text and locator, prose numbers, issues; docs/contract.md),
    the record the load puts in the warehouse. A missing file exits with code 2.

    Example: xxgk extract samples/inbox/2021/shilishi-tongjiju.html --json
    """
    from xxgk.extract.agency import Provenance, load_hints
    from xxgk.extract.worker import ExtractionGuard

    known = load_hints(hints) if hints else ()
    # each file in a worker under the load's per-file time and memory caps (XXGK_EXTRACT_*):
    # a pathological file is quarantined with its reason instead of hanging the command
    with ExtractionGuard() as guard:
        for path in files:
            record = guard.extract(
                path,
                str(path),
                provenance=Provenance(source=str(path), hints=known),
                with_images=True,
            )
            _print_record(path, _with_digest(record, path), as_json)


def _with_digest(record: dict[str, Any], path: Path) -> dict[str, Any]:
    """A record stopped by the worker's caps, with the file's digest (the contract's)."""
    if not record.get("sha256") and path.is_file():
        from xxgk.core.digest import sha256_file

        return {**record, "sha256": sha256_file(path)}
    return record


def _print_record(path: Path, record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from xxgk.orchestration.terminal import visible

    ncells = sum(c["value"] is not None for c in record["cells"])
    errors = [i["code"] for i in record["issues"] if i["severity"] == "error"]
    click.echo(  # the agency is the document's text: its controls written out
        f"{path}: {record['status']} · {record['format']} · {record['report_year']} · "
        f"{visible(record['agency'] or '?')} · {ncells}/{len(record['cells'])} cells with values"
        f" · {len(record['issues'])} issues"
        + (f" ({', '.join(errors)})" if record["status"] == "quarantined" else "")
    )


@main.command("airflow-init")
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    help="Data directory whose airflow/ home is prepared.",
)
def airflow_init(data_dir: Path) -> None:
    """Prepare the local Airflow home (SQLite metadata DB migrated, warehouse pool).

    Example: xxgk airflow-init --data-dir data
    """
    from xxgk.orchestration.airflow_local import ensure_airflow

    env = ensure_airflow(data_dir)
    home = Path(env["AIRFLOW_HOME"])
    click.echo(f"airflow home: {home}")
    click.echo(
        f"config:       {home / 'airflow.cfg'} (dags folder "
        f"{env['AIRFLOW__CORE__DAGS_FOLDER']}, no example DAGs, pool xxgk_warehouse)"
    )
    click.echo(f"open the UI:  xxgk ui --data-dir {data_dir}")


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    help="Data directory whose airflow/ home is served.",
)
@click.option("--port", type=int, default=8080, show_default=True, help="Port of the UI.")
def ui(data_dir: Path, port: int) -> None:
    """Open the Airflow UI on the project's Airflow home (`airflow standalone`; Ctrl-C stops it).

    Starts the API server (the UI, on http://localhost:PORT), a scheduler, a DAG processor
    and a triggerer with the home's SQLite metadata DB. The login is `admin`; its password
    is printed at start-up and kept in the home's simple_auth_manager_passwords.json.generated.
    The DAG starts paused: unpause it with its toggle to let schedules and backfills run.

    Example: xxgk ui --data-dir data --port 8080
    """
    from xxgk.orchestration.airflow_local import ui_command, ui_env

    env = ui_env(data_dir, port)
    cmd = ui_command()
    click.echo(
        f"Airflow UI of {env['AIRFLOW_HOME']} on http://localhost:{port} (Ctrl-C stops it)",
        err=True,
    )
    sys.stdout.flush()
    from xxgk.orchestration.stopping import Stopped, run_until_stopped, stopped_line

    # not exec'd: standalone stops on Ctrl-C but leaves its scheduler, API server and
    # workers running; run_until_stopped stops its whole process tree
    try:
        code = run_until_stopped(cmd, env)
    except Stopped as stop:
        click.echo(stopped_line("xxgk ui", stop, UI_STOPPED), err=True)
        raise click.exceptions.Exit(stop.exit_code) from None
    raise click.exceptions.Exit(code)


UI_STOPPED = (
    "airflow standalone and its API server, scheduler, DAG processor and triggerer are "
    "stopped; nothing is left running, `xxgk ui` can be started again"
)


def _print_table(title: str, result: Any) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from xxgk.orchestration.terminal import visible

    # Text, not str: rich reads a str as markup (an agency named "[/x]" failed the table)
    table = Table(title=Text(title))
    for col in result.columns:
        table.add_column(Text(visible(str(col))))
    for row in result.rows:
        table.add_row(*[Text("" if v is None else visible(str(v))) for v in row])
    # piped output (a file, another program) is not wrapped to a guessed terminal width
    Console(width=None if sys.stdout.isatty() else 250).print(table)


@main.command()
@_warehouse_option()
def status(warehouse: Path) -> None:
    """What is loaded: reports per year and format, quarantined files per reason, the
    reports whose agency, year or region is unknown (by file), how complete the reports
    are (cells unread, tables cut), the duplicate copies with the file each duplicates, and
    the aggregate (汇总) reports the measures leave out, with the reason.

    Example: xxgk status --warehouse data/warehouse.duckdb
    """
    from xxgk.publish.views import WarehouseMissing, completeness, unknowns
    from xxgk.publish.views import status as load_status

    try:
        reports, quarantine = load_status(warehouse)
        unknown_counts, unknown_files = unknowns(warehouse)
        complete = completeness(warehouse)
    except WarehouseMissing as exc:
        raise click.ClickException(str(exc)) from exc
    _print_table("Reports by year and format", reports)
    _print_table("Quarantined files by reason", quarantine)
    _print_table("Current reports with an unknown agency, year or region", unknown_counts)
    if unknown_files.rows:
        _print_table("Which files", unknown_files)
    for title, result in complete:  # lists only when there is something to list
        if result.rows or "Which" not in title and "Aggregate" not in title:
            _print_table(title, result)


@main.command()
@_warehouse_option()
@click.option(
    "--to", "to", type=click.Choice(["parquet", "csv", "xlsx"]), required=True, help="File format."
)
@click.option("--table", "tables", multiple=True, help="A mart table (repeatable); default all.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="data/export",
    show_default=True,
    help="Output folder.",
)
def export(warehouse: Path, to: str, tables: tuple[str, ...], out_dir: Path) -> None:
    """Export mart tables for colleagues: Parquet, CSV or one Excel workbook.

    Example: xxgk export --to xlsx --table dim_reports --table fct_report_cells
    """
    from xxgk.publish.views import WarehouseMissing
    from xxgk.publish.views import export as do_export

    try:
        paths = do_export(warehouse, to, out_dir, list(tables) or None)
    except (WarehouseMissing, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    for path in paths:
        click.echo(str(path))


# a query may start with a `-- comment` line (docs/queries.sql): an argument, not an option
@main.command(context_settings={"ignore_unknown_options": True})
@_warehouse_option()
@_format_option()
@click.option(
    "-f",
    "--file",
    "sql_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Run the statements of this .sql file in turn.",
)
@click.argument("sql_text", required=False)
def sql(warehouse: Path, fmt: str, sql_file: Path | None, sql_text: str | None) -> None:
    """Read-only SQL on the warehouse: a query, a file of them, or (neither) the DuckDB shell.

    Without a query the real DuckDB shell opens on the warehouse, read-only and sandboxed
    (multi-line statements, .tables main.% for the marts, .mode csv, .quit).

    Example: xxgk sql --format csv "select format, count(*) from main.dim_reports group by 1"
    """
    from xxgk.publish.views import NoStatement, WarehouseMissing, query_script

    if sql_text is not None and sql_file is not None:
        raise click.UsageError("give a query or --file, not both")
    if sql_text is None and sql_file is None:
        from xxgk.orchestration.sql_shell import duckdb_shell

        duckdb_shell(warehouse)
        return
    text = sql_file.read_text(encoding="utf-8-sig") if sql_file else str(sql_text)
    try:
        results = query_script(warehouse, text)
    except (WarehouseMissing, NoStatement) as exc:
        raise click.ClickException(str(exc)) from exc
    for result in results:
        _echo_result(result, fmt)


@main.command()
@_warehouse_option()
@click.option("--year", type=int, default=None, help="Only reports for this year.")
@click.option(
    "--severity",
    type=click.Choice(["error", "warning"]),
    default=None,
    help="Only findings of this severity.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="At most this many rows.",
)
def quality(warehouse: Path, year: int | None, severity: str | None, limit: int) -> None:
    """Data-quality findings: the rules each current report fails, with the numbers.

    Example: xxgk quality --year 2017 --severity error
    """
    from xxgk.publish.views import WarehouseMissing, findings

    try:
        result = findings(warehouse, year=year, severity=severity, limit=limit)
    except WarehouseMissing as exc:
        raise click.ClickException(str(exc)) from exc
    from xxgk.orchestration.terminal import QUALITY_LAYOUT, render

    # fitted to the terminal: whole file names (two reports of one agency-year), no "…"
    click.echo(
        render(
            f"Failed rules ({len(result.rows)} shown)", result.columns, result.rows, QUALITY_LAYOUT
        ),
        nl=False,
    )


@main.command("rules")
@click.option(
    "--list", "as_list", is_flag=True, help="Also list every rule (id, format, automation, title)."
)
def rules_command(as_list: bool) -> None:
    """Count the consistency rules per format: dictionary rules, added ones, automation level.

    Example: xxgk rules --list
    """
    from xxgk.dictionary.catalog import build, counts_table

    catalog = build()[0]
    click.echo(counts_table(catalog))
    if as_list:
        for row in catalog:
            click.echo(f"{row.rule_id}\t{row.format_id}\t{row.automation}\t{row.title_zh}")


@main.command()
@click.argument("start_urls", nargs=-1, required=True)
@click.option(
    "--inbox",
    type=click.Path(path_type=Path, file_okay=False),
    default=xxgk_env.inbox,
    show_default=xxgk_env.DEFAULT_INBOX,
    help="Folder the reports are put into (then `xxgk load --inbox DIR`).",
)
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="At most this many URLs per start URL (a link trap ends here).",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between two requests to one host (robots.txt may ask for more).",
)
@click.option(
    "--since",
    type=click.IntRange(1990, 2100),
    default=None,
    help="Skip reports whose link names an earlier year.",
)
def crawl(
    start_urls: tuple[str, ...], inbox: Path, max_pages: int, delay: float, since: int | None
) -> None:
    """Crawl a site's 年报 column (START_URLS: its list pages) into the inbox.

    Follows the pagination, the report pages and their attachments on the same host,
    obeying robots.txt; re-crawls download only what changed. What was fetched, refused or
    dead is in DIR/.crawl/manifest.jsonl.

    Example: xxgk crawl http://www.example.gov.cn/col/col1229/index.html --inbox data/inbox
    """
    from xxgk.land.crawl import CrawlSettings
    from xxgk.land.crawl import crawl as run_crawl

    try:
        settings = CrawlSettings(max_pages=max_pages, delay_s=delay, since=since)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    inbox.mkdir(parents=True, exist_ok=True)
    summary = run_crawl(list(start_urls), inbox, settings)
    events = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_event.items()))
    click.echo(f"pages:    {summary.pages} ({events or 'nothing new'})")
    click.echo(f"requests: {summary.requests}")
    click.echo(f"reports:  {len(set(summary.inbox_files))} files in {inbox}")
    click.echo(f"manifest: {summary.manifest}")
    if not {"fetched", "unchanged"} & set(summary.by_event):  # not one page was read
        raise click.ClickException(
            "nothing crawled: no start page could be fetched (the manifest says why)"
        )


main.add_command(load)
main.add_command(review)
main.add_command(schema_command)
main.add_command(compare_command)
