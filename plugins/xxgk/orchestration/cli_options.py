"""What the commands share: the ``ctx.meta`` keys of the error handler, the ``--warehouse``
and ``--format`` options, and how a query result is printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from xxgk.core import env as xxgk_env

VERBOSE = "xxgk.verbose"  # ctx.meta keys (meta is shared by every nested context)
WAREHOUSE = "xxgk.warehouse"


def remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value:
            ctx.meta[key] = value
        return value

    return callback


F = TypeVar("F", bound=Callable[..., Any])


def warehouse_option(
    help_text: str = "DuckDB warehouse file (opened read-only).",
) -> Callable[[F], F]:
    return click.option(
        "--warehouse",
        type=click.Path(path_type=Path, dir_okay=False),
        default=xxgk_env.warehouse,
        show_default=xxgk_env.DEFAULT_WAREHOUSE,
        callback=remember(WAREHOUSE),
        help=help_text,
    )


def format_option() -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json", "markdown"]),
        default="table",
        show_default=True,
        help="table: a grid (one block per row when too wide); json: one object per line.",
    )


def echo_result(result: Any, fmt: str) -> None:
    """A query result as ``xxgk sql`` prints it in ``fmt`` (NULL apart from '')."""
    if fmt == "table":
        from xxgk.orchestration.terminal import query_table

        click.echo(query_table(result.columns, result.rows), nl=False)
    else:
        from xxgk.publish.result_text import as_text

        click.echo(as_text(result, fmt), nl=False)  # type: ignore[arg-type]
