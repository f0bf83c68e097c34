"""``xxgk review …``: the review loop from the command line (the same log as the app).

Every command takes ``--warehouse`` like the others; a decision is appended to
``<data>/review/decisions.jsonl`` and applied to the marts by the next ``xxgk load``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click

from xxgk.orchestration.cli_options import warehouse_option

F = TypeVar("F", bound=Callable[..., Any])
_APPLIED_BY = "recorded; `xxgk load` applies it to the marts"


def _warehouse(func: F) -> F:
    return warehouse_option(
        "DuckDB warehouse file (read-only; decisions go to <its folder>/review/)."
    )(func)


def _who(func: F) -> F:
    return click.option("--reviewer", default=None, help="Who decides (default: the OS user).")(
        func
    )


def _note(required: bool = False) -> Callable[[F], F]:
    return click.option("--note", required=required, default=None, help="Why, in a sentence.")


def _record(warehouse: Path, item_id: str, action: str, **kwargs: Any) -> None:
    """Decide, or fail with one line (unknown item, wrong action, bad value)."""
    from xxgk.publish.review.decide import InvalidDecision, decide
    from xxgk.publish.review.items import UnknownItem
    from xxgk.publish.views import WarehouseMissing

    try:
        decision = decide(warehouse, item_id, action, **kwargs)
    except (UnknownItem, InvalidDecision, WarehouseMissing) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from None
    click.echo(f"{decision.decision_id} {action} {item_id}: {_APPLIED_BY}")


@click.group(invoke_without_command=True)
@click.pass_context
def review(ctx: click.Context) -> None:
    """Review findings and cells: list open items, confirm, dismiss, resolve, undo, serve.

    Decisions are appended to <data>/review/decisions.jsonl (outside the warehouse) and
    applied by the next `xxgk load`. Without a command: `xxgk review serve`.

    Example: xxgk review list --warehouse data/warehouse.duckdb
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@review.command("list")
@_warehouse
@click.option("--json", "as_json", is_flag=True, help="One JSON object per open item.")
def list_items(warehouse: Path, as_json: bool) -> None:
    """Open items (each with its item_id), stale decisions and decisions not loaded yet."""
    from xxgk.publish.review.items import read_state
    from xxgk.publish.views import WarehouseMissing

    try:
        state = read_state(warehouse)
    except WarehouseMissing as exc:
        raise click.ClickException(str(exc)) from None
    from xxgk.publish.reviewer.html import plain_numbers, text

    if as_json:
        for item in state.open_items:
            click.echo(json.dumps(plain_numbers(item), ensure_ascii=False, default=str))
        return
    for item in state.open_items:
        candidates = item.get("candidates")
        listed = f"\tcandidates: {text(candidates)}" if candidates is not None else ""
        click.echo(
            f"{item['item_id']}\t{item['severity']}\t{item['agency_name']} "
            f"{item['report_year']}\t{item['shown']}{listed}"
        )
    click.echo(f"{len(state.open_items)} open item(s)", err=True)
    for stale in state.stale:
        click.echo(
            f"stale {stale['decision_id']} {stale['action']} {stale['item_id']}: "
            f"{stale['stale_reason']}",
            err=True,
        )
    if state.pending:
        click.echo(f"{len(state.pending)} decision(s) not loaded yet: run `xxgk load`", err=True)


@review.command()
@_warehouse
@click.argument("item_id")
@click.option("--value", required=True, help="The value read from the source (or 'blank').")
@_note()
@_who
def resolve(
    warehouse: Path, item_id: str, value: str, note: str | None, reviewer: str | None
) -> None:
    """Resolve an unread cell (ITEM_ID: c:…): a candidate, or the value read from the source."""
    _record(warehouse, item_id, "resolve", value=value, note=note, reviewer=reviewer)


@review.command()
@_warehouse
@click.argument("item_id")
@click.option("--value", required=True, help="The value read from the source (or 'blank').")
@_note()
@_who
def correct(
    warehouse: Path, item_id: str, value: str, note: str | None, reviewer: str | None
) -> None:
    """Correct a cell the reader read wrongly (ITEM_ID: c:…)."""
    _record(warehouse, item_id, "correct", value=value, note=note, reviewer=reviewer)


@review.command()
@_warehouse
@click.argument("item_id")
@_note()
@_who
def confirm(warehouse: Path, item_id: str, note: str | None, reviewer: str | None) -> None:
    """Confirm a finding: the report itself is inconsistent (the publisher's error)."""
    _record(warehouse, item_id, "confirm", note=note, reviewer=reviewer)


@review.command()
@_warehouse
@click.argument("item_id")
@_note(required=True)
@_who
def dismiss(warehouse: Path, item_id: str, note: str, reviewer: str | None) -> None:
    """Dismiss a finding as a false alarm (the note says why)."""
    _record(warehouse, item_id, "dismiss", note=note, reviewer=reviewer)


@review.command()
@_warehouse
@click.argument("item_id")
@click.argument("what", type=click.Choice(["agency", "year", "aggregate"]))
@click.option("--value", required=True, help="The agency name, the year, or true/false.")
@_note()
@_who
def override(
    warehouse: Path, item_id: str, what: str, value: str, note: str | None, reviewer: str | None
) -> None:
    """Overturn a report's agency, year or aggregate (汇总) flag (ITEM_ID: r:…)."""
    _record(warehouse, item_id, f"override_{what}", value=value, note=note, reviewer=reviewer)


@review.command()
@_warehouse
@click.argument("decision_id")
@_note()
@_who
def undo(warehouse: Path, decision_id: str, note: str | None, reviewer: str | None) -> None:
    """Take a decision back (a new decision in the log; nothing is edited)."""
    from xxgk.publish.review.decide import InvalidDecision
    from xxgk.publish.review.decide import undo as undo_decision
    from xxgk.publish.review.items import UnknownItem

    try:
        decision = undo_decision(warehouse, decision_id, note=note, reviewer=reviewer)
    except (UnknownItem, InvalidDecision) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from None
    click.echo(f"{decision.decision_id} undo {decision_id}: {_APPLIED_BY}")


@review.command()
@_warehouse
def export(warehouse: Path) -> None:
    """Every decision of the log as JSON Lines, with its state once loaded (applied,
    replaced, undone, undo, stale and why, or pending)."""
    from xxgk.core.decisions import read_log
    from xxgk.core.paths import DataDir
    from xxgk.publish.review.items import read_state
    from xxgk.publish.views import WarehouseMissing

    states: dict[str, dict[str, Any]] = {}
    try:
        states = {str(d["decision_id"]): d for d in read_state(warehouse).decisions}
    except WarehouseMissing:
        pass  # the log alone: every decision is pending
    for decision in read_log(DataDir.of(warehouse).review):
        row: dict[str, Any] = asdict(decision)
        loaded = states.get(decision.decision_id)
        row["state"] = loaded["review_state"] if loaded else "pending"
        row["stale_reason"] = loaded["stale_reason"] if loaded else None
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


@review.command()
@_warehouse
@click.option("--port", type=int, default=8765, show_default=True, help="Port on 127.0.0.1.")
@_who
def serve(warehouse: Path, port: int, reviewer: str | None) -> None:
    """Serve the reviewer's pages with forms on http://127.0.0.1:PORT (Ctrl-C stops it)."""
    from xxgk.publish.review.app import HOST
    from xxgk.publish.review.app import serve as serve_app

    click.echo(f"review app: http://{HOST}:{port}/  (Ctrl-C stops it)")
    serve_app(warehouse, port, reviewer)
