"""Every `xxgk` command and query of the README and docs/, run exactly as printed.

A reader pastes what the docs show. So the commands are read from the Markdown itself:
lines of fenced code blocks that start with ``xxgk`` or ``.venv/bin/xxgk``, and inline code
spans that start with ``.venv/bin/xxgk`` (in prose, ```xxgk load``` names a command). They
run through the CLI in a working directory laid out like the checkout after ``make demo``
(``data/warehouse.duckdb`` is the demo warehouse, ``samples/`` and ``docs/`` are the
repository's). Each query of docs/queries.sql and each worked query of the README goes
through ``xxgk sql "…"`` as printed, comments included; the README's worked outputs must
equal what the demo warehouse returns (tests/support/readme_examples.py regenerates them).

Commands that start Airflow (``load``, ``ui``) are only parsed — their options and arguments
checked by the CLI itself — because a run costs minutes: tests/integration and
tests/orchestration/test_airflow_home.py run them for real. ``crawl`` is only parsed too: the docs
crawl a real site, and tests contact 127.0.0.1 only (tests/land/test_crawl.py). The
synopsis table of the README (``FILE…``, ``[--year Y]``) is a list of forms, not commands,
and is left out.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tests.support.readme_examples import README, regenerate, worked_queries
from xxgk.orchestration.cli import main

pytestmark = pytest.mark.integration

DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]
QUERIES_SQL = REPO / "docs" / "queries.sql"
PROGRAMS = ("xxgk", ".venv/bin/xxgk")
# start Airflow, or (crawl) contact a real site: checked by the CLI's parser, not run
PARSE_ONLY = {"load", "ui", "crawl"}
_FENCE = re.compile(r"^ *```[a-z]*\n(.*?)^ *```", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")


def _commands_in(text: str) -> Iterator[str]:
    for block in _FENCE.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split(" #", 1)[0].strip()  # a trailing shell comment
            if command.split(" ", 1)[0] in PROGRAMS:
                yield command
    for line in _FENCE.sub("", text).splitlines():
        if line.lstrip().startswith("|"):
            continue  # the README's synopsis table
        for span in _INLINE.findall(line):
            # in prose `xxgk load` names a command; `.venv/bin/xxgk …` is one to paste
            if span.startswith(".venv/bin/xxgk ") and span != '.venv/bin/xxgk sql "…"':
                yield span  # (the queries' form is run with each query below)


DOCUMENTED = sorted(
    {(doc.name, cmd) for doc in DOCS for cmd in _commands_in(doc.read_text(encoding="utf-8"))}
)


def _queries_as_printed() -> dict[str, str]:
    """docs/queries.sql: each query from its ``-- name:`` line to its ``;``, as pasted."""
    text = QUERIES_SQL.read_text(encoding="utf-8")
    chunks = re.split(r"^(?=-- name: )", text, flags=re.MULTILINE)[1:]
    return {re.match(r"-- name: *(\S+)", c)[1]: c.strip() for c in chunks}  # type: ignore[index]


@pytest.fixture
def checkout(demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory like the checkout after ``make demo``."""
    # data/own/: the README's own-reports warehouse, as if that load had run
    for warehouse in ("data/warehouse.duckdb", "data/own/warehouse.duckdb"):
        (tmp_path / warehouse).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(demo_warehouse, tmp_path / warehouse)
    for folder in ("samples", "docs"):
        (tmp_path / folder).symlink_to(REPO / folder)
    for folder in ("data/inbox", "my-reports"):  # the inboxes the docs' load commands name
        (tmp_path / folder).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    for name in ("XXGK_WAREHOUSE", "XXGK_INBOX", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_the_docs_show_commands_and_the_queries_file_has_eleven() -> None:
    commands = {cmd.split()[1] for _, cmd in DOCUMENTED}
    assert {"load", "extract", "ui"} <= commands, DOCUMENTED
    assert len(_queries_as_printed()) == 11
    assert len(worked_queries(README.read_text(encoding="utf-8"))) == 5


@pytest.mark.parametrize(("doc", "command"), DOCUMENTED)
def test_documented_command_runs_as_printed(checkout: Path, doc: str, command: str) -> None:
    args = shlex.split(command)[1:]
    if args[0] in PARSE_ONLY:
        with main.make_context("xxgk", list(args)) as ctx:  # raises on a bad option or path
            sub = main.get_command(ctx, args[0])
            assert sub is not None
            sub.make_context(args[0], args[1:], parent=ctx)
        return
    code, out = _invoke(args)
    assert code == 0, f"{doc}: {command}\n{out}"
    assert "Traceback" not in out and out.strip()


@pytest.mark.parametrize("name", sorted(_queries_as_printed()))
def test_queries_sql_runs_in_xxgk_sql_as_printed(checkout: Path, name: str) -> None:
    query = _queries_as_printed()[name]
    assert query.startswith("-- name:")  # what used to be read as an option
    code, out = _invoke(["sql", query])
    assert code == 0, out
    assert _a_result(out), out


@pytest.mark.parametrize("index", range(5))
def test_readme_worked_query_runs_in_xxgk_sql(checkout: Path, index: int) -> None:
    query = worked_queries(README.read_text(encoding="utf-8"))[index]
    code, out = _invoke(["sql", query])
    assert code == 0 and _a_result(out), out


def _a_result(out: str) -> bool:
    """A grid with its header, or (too wide for a grid) the first row's block."""
    return "┃" in out or out.startswith("-[ row 1 ]")


def test_readme_worked_outputs_are_what_the_demo_warehouse_returns(demo_warehouse: Path) -> None:
    text = README.read_text(encoding="utf-8")
    assert regenerate(text, demo_warehouse) == text, (
        "README's worked outputs are stale: run "
        "`.venv/bin/python -m tests.support.readme_examples data/warehouse.duckdb` after "
        "`make demo`"
    )


def test_a_documented_command_with_a_bad_option_would_fail() -> None:
    """The parse-only check is real: a misspelt option of `load` is refused."""
    with pytest.raises(click.UsageError):
        with main.make_context("xxgk", ["load", "--inbx", "x"]) as ctx:
            sub = main.get_command(ctx, "load")
            assert sub is not None
            sub.make_context("load", ["--inbx", "x"], parent=ctx)
