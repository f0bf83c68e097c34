"""``xxgk load``: the yearly DAG run locally through ``airflow dags test``, its progress shown
step by step, and what a stop (Ctrl-C, SIGTERM) leaves behind said in one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import click

from xxgk.core import env as xxgk_env
from xxgk.core.paths import DataDir
from xxgk.orchestration.cli_options import VERBOSE, WAREHOUSE, remember, warehouse_option
from xxgk.orchestration.names import DEFAULT_BATCH_SIZE

if TYPE_CHECKING:
    from xxgk.orchestration.progress import LoadProgress


class NothingToLoad(click.ClickException):
    """No report file to load: a one-line error with its own exit code (scripts tell it
    from a failed load), before Airflow starts."""

    exit_code = 3


@click.command()
@click.option(
    "--inbox",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=xxgk_env.inbox,
    show_default=xxgk_env.DEFAULT_INBOX,
    help="Folder of report files (inbox/<year>/… or flat).",
)
@warehouse_option("DuckDB warehouse file.")
@click.option(
    "--year",
    type=int,
    default=None,
    help="Only load INBOX/<year>/ (files outside a year folder only load without --year).",
)
@click.option(
    "--batch-size",
    type=int,
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Reports per extraction task.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    callback=remember(VERBOSE),
    help="Show Airflow's own output (and the traceback of an error).",
)
def load(inbox: Path, warehouse: Path, year: int | None, batch_size: int, verbose: bool) -> None:
    """Run the yearly load (the Airflow DAG, locally via `airflow dags test`).

    Shows Airflow's start-up, then which step is running (land, plan_batches, extract
    batches done/total, load, dbt_build, validate, summarize) and each step's own time: a
    live display on a terminal, one line per step otherwise. Airflow's full output goes to
    <data dir>/airflow/last_load.log.

    Exit codes: 0 loaded; 1 the load failed (the step is named); 3 nothing to load (an
    empty inbox, or no file under INBOX/<year>/ for --year), the warehouse untouched;
    130/143 stopped by Ctrl-C/SIGTERM (the line says what a re-run does).

    Example: xxgk load --inbox samples/inbox --warehouse data/warehouse.duckdb
    """
    from xxgk.core.db import WAREHOUSE_SCHEMAS
    from xxgk.core.exceptions import NothingToLoad as NoFiles
    from xxgk.land.manifest import refuse_nothing_to_load
    from xxgk.orchestration.airflow_local import load_lock
    from xxgk.orchestration.progress import LoadProgress
    from xxgk.orchestration.stopping import Stopped, stop_signals_raise, stopped_line

    if warehouse.stem in WAREHOUSE_SCHEMAS:
        raise click.BadParameter(
            f"{warehouse.name} is named like the warehouse's schema {warehouse.stem!r}, which "
            "DuckDB would confuse with the file: choose another name (e.g. warehouse.duckdb)",
            param_hint="--warehouse",
        )

    click.get_current_context().meta[WAREHOUSE] = warehouse
    progress: LoadProgress | None = None
    with stop_signals_raise():
        try:
            try:  # a scan of a big inbox takes a while: under the stop signals' handlers
                refuse_nothing_to_load(inbox, None if year is None else [year])
            except NoFiles as exc:
                raise NothingToLoad(str(exc)) from None
            with load_lock(DataDir.of(warehouse).root):
                progress = LoadProgress()
                _load(inbox, warehouse, year, batch_size, verbose, progress)
        except Stopped as stop:  # the run's process tree is stopped and the lock released
            click.echo(stopped_line("xxgk load", stop, load_stopped(progress)), err=True)
            raise click.exceptions.Exit(stop.exit_code) from None


STOPPED_HEAD: Final = (
    "Airflow, dbt and the extraction workers are stopped and the load lock is released"
)
RERUN_SAFE: Final = "running the same command again is safe"
_Stage = Literal["before", "landing", "loading", "building", "publishing"]
_STAGE_OF_STEP: Final[dict[str, _Stage]] = {
    "land": "landing",
    "plan_batches": "landing",
    "extract": "landing",
    "load": "loading",
    "dbt_build": "building",
    "validate": "publishing",
    "summarize": "publishing",
}
# what the warehouse holds when the load stops in each stage, and what the same command does
# when run again (pipeline.py: landing is content-addressed, extracted batches and loaded
# reports are reused, dbt and the validation rerun only when their inputs changed or they
# did not finish)
_AFTER_STOP: Final[dict[_Stage, tuple[str, str]]] = {
    "before": (
        "nothing was landed and the warehouse is untouched",
        "it starts the load from the beginning",
    ),
    "landing": (
        "the warehouse is untouched",
        "files already landed and batches already extracted are reused, the rest is "
        "extracted, then loaded, built and validated",
    ),
    "loading": (
        "the reports loaded so far are whole (one transaction each)",
        "it loads the reports not loaded yet, then builds and validates",
    ),
    "building": (
        "the reports are loaded, the marts may be partly rebuilt",
        "landing, extraction and loading are reused; dbt builds the marts again, then "
        "the validation runs",
    ),
    "publishing": (
        "the reports are loaded and the marts built",
        "only the validation runs again and the pages are published again",
    ),
}


def load_stopped(progress: LoadProgress | None) -> str:
    """What a stopped load says after ``xxgk load stopped by SIGINT:``: what is stopped, the
    step it stopped at, what that leaves in the warehouse, and what running it again does."""
    step = None if progress is None else progress.current or progress.last_started()
    stage: _Stage = "before" if step is None else _STAGE_OF_STEP.get(step, "publishing")
    state, rerun = _AFTER_STOP[stage]
    at = "before its first step" if step is None else f"at step {step}"
    return f"{STOPPED_HEAD}; it stopped {at}: {state}; {RERUN_SAFE} ({rerun})"


def _load(
    inbox: Path,
    warehouse: Path,
    year: int | None,
    batch_size: int,
    verbose: bool,
    progress: LoadProgress,
) -> None:
    from xxgk.orchestration.airflow_local import run_dag_test, run_log_path
    from xxgk.orchestration.load_display import LiveSteps, PlainSteps, StepDisplay
    from xxgk.orchestration.pipeline import check_warehouse, load_outcome

    check_warehouse(warehouse)  # locked or damaged: say so now, not after the extraction
    click.echo(f"loading {inbox} into {warehouse} (Airflow DAG xxgk_annual_load) …", err=True)
    live = sys.stderr.isatty() and not verbose
    display: StepDisplay = LiveSteps(progress) if live else PlainSteps(progress)

    def on_line(line: str) -> None:
        if verbose:
            click.echo(line, err=True)
        changed = progress.feed(line)
        if changed:
            display.changed(changed)

    with display:
        code = run_dag_test(
            inbox, warehouse, year, batch_size=batch_size, quiet=True, on_line=on_line
        )
    outcome = load_outcome(warehouse)
    if code != 0 or not outcome["ok"]:
        failed = [s.name for s in progress.steps.values() if s.state not in ("success", "pending")]
        at = f" at step {failed[0]}" if failed else ""
        raise click.ClickException(
            f"the load did not complete{at} (airflow exit {code}); see {run_log_path(warehouse)}"
        )
    data = DataDir.of(warehouse)
    click.echo(f"warehouse:      {outcome['warehouse']}")
    page = data.report_page
    click.echo(f"reviewer page:  {page if page.exists() else '(not written)'}")
    click.echo(f"quality report: {outcome['quality_report']} (Great Expectations Data Docs)")
    docs = data.dbt_docs
    click.echo(f"dbt docs:       {docs if docs.exists() else '(not written)'} (tables, columns)")
    click.echo(f"reports:        {outcome['reports']} ({outcome['by_status']})")
    click.echo(f"rule findings:  {outcome.get('failed_rules') or 'none'} (failed, by severity)")
    click.echo(f"airflow log:    {run_log_path(warehouse)}")
