"""The review loop end to end: decisions made in the app (chromium) and through the CLI are
kept by a re-run of the load with a new extractor version and applied to the page and the
marts; a file whose bytes changed makes its decision stale.

One warehouse is built and re-loaded once for the whole module (a dbt build each).
``XXGK_DOCS_IMG=docs/img`` saves the walk-through's screenshots (docs/review.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import REPO, SHARED
from tests.support.chromium import CHROMIUM, LAUNCH_ARGS, NEEDS_CHROMIUM
from tests.support.warehouse import build_warehouse, load_rows

pytestmark = [
    pytest.mark.integration,
    NEEDS_CHROMIUM,
]

UNREAD_REPORT = SHARED / "eval" / "real" / "raw" / "117.txt"  # table 二 row 规章 unread
TYPED_REPORT = SHARED / "eval" / "hard" / "raw" / "219.txt"  # an unread cell, no candidate
FINDING_FILE = "yanshiqu-renshe.html"
FINDING_RULE = "v2021.t3.balance.natural_person"
CHANGED = Path("2022") / "shilishi-tongjiju.txt"  # re-published before the second load
NOTE = '<img src=x onerror="window.xss=1">表三 cut after row 4: not a publisher error'
NEW_VERSION = "0.0.0+review-test"


@dataclass
class Loop:
    inbox: Path
    data: Path
    warehouse: Path
    url: str
    ids: dict[str, str] = field(default_factory=dict)


def _rows(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    from xxgk.publish.views import query

    return query(warehouse, sql).rows


def _one(warehouse: Path, sql: str) -> Any:
    found = _rows(warehouse, sql)
    assert len(found) == 1, (sql, found)
    return found[0][0] if len(found[0]) == 1 else found[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loop]:
    import uvicorn

    from xxgk.publish.review.app import HOST, create_app

    for path in (UNREAD_REPORT, TYPED_REPORT):
        if not path.exists():
            pytest.skip(f"{path} not found: ../shared is not beside this checkout")
    root = tmp_path_factory.mktemp("review")
    inbox = root / "inbox"
    shutil.copytree(REPO / "samples" / "inbox", inbox)
    for path in (UNREAD_REPORT, TYPED_REPORT):
        shutil.copy(path, inbox / "2019" / path.name)
    warehouse = build_warehouse(inbox, root / "data", batch_size=200)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(warehouse), host=HOST, port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "the review app did not start"
    yield Loop(inbox, root / "data", warehouse, f"http://{HOST}:{port}")
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def _shot(tab: Any, name: str, selector: str | None = None) -> None:
    folder = os.environ.get("XXGK_DOCS_IMG")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    target = tab.locator(selector).first if selector else tab
    target.screenshot(path=str(Path(folder) / name))


def _agency_page(loop: Loop, file_name: str) -> str:
    from xxgk.publish.reviewer import page_name

    key = _one(
        loop.warehouse,
        f"select agency_key from dim_reports where file_name = '{file_name}' and is_current",
    )
    return f"{loop.url}/agencies/{page_name(str(key))}"


def _cli(loop: Loop, *args: str) -> Any:
    from xxgk.orchestration.cli import main

    return CliRunner().invoke(main, ["review", *args, "--warehouse", str(loop.warehouse)])


def _decide_in_the_browser(loop: Loop, tab: Any) -> None:
    unread = _one(
        loop.warehouse,
        "select u.review_item_id from fct_unread_cells u join dim_reports r using (report_key) "
        f"where r.file_name = '{UNREAD_REPORT.name}' and u.candidates = [0.0] "
        "order by u.table_no, u.row_no, u.column_no limit 1",
    )
    loop.ids["unread"] = str(unread)
    tab.goto(_agency_page(loop, UNREAD_REPORT.name))
    row = tab.locator(f'table.unread-cells tr[data-item="{unread}"]')
    _shot(tab, "review-unread.png", "table.unread-cells")
    row.locator("button.candidate", has_text="0").click()  # its one candidate
    tab.wait_for_load_state("load")
    assert "resolve 0" in row.locator(".pending").inner_text()
    assert "xxgk load" in row.locator(".pending").inner_text()

    loop.ids["finding"] = str(
        _one(
            loop.warehouse,
            "select f.review_item_id from fct_rule_results f join dim_reports r "
            f"using (report_key) where r.file_name = '{FINDING_FILE}' "
            f"and f.rule_id = '{FINDING_RULE}'",
        )
    )
    tab.goto(_agency_page(loop, FINDING_FILE))
    finding = tab.locator(f'.finding[data-rule="{FINDING_RULE}"]')
    finding.locator('input[name="note"]').fill(NOTE)
    _shot(tab, "review-finding.png", f'.finding[data-rule="{FINDING_RULE}"]')
    finding.locator('button[value="dismiss"]').click()
    tab.wait_for_load_state("load")
    assert NOTE in finding.locator(".pending").inner_text()  # shown as text, not markup
    _shot(tab, "review-recorded.png", f'.finding[data-rule="{FINDING_RULE}"]')


def _decide_through_the_cli(loop: Loop) -> None:
    listed = _cli(loop, "list", "--json")
    assert listed.exit_code == 0, listed.output
    typed = next(
        line for line in listed.output.splitlines() if f'"file_name": "{TYPED_REPORT.name}"' in line
    )
    assert '"candidates": []' in typed  # the reader has no number for it
    loop.ids["typed"] = typed.split('"item_id": "')[1].split('"')[0]
    done = _cli(loop, "resolve", loop.ids["typed"], "--value", "7", "--reviewer", "bob")
    assert done.exit_code == 0 and "xxgk load" in done.output, done.output

    cell, value = _one(
        loop.warehouse,
        "select review_item_id, value from fct_report_cells "
        f"where report_sha256 in (select report_sha256 from dim_reports "
        f"where source_path = '{CHANGED.as_posix()}') and value is not null "
        "order by cell_no limit 1",
    )
    loop.ids["changed"] = str(cell)
    assert _cli(loop, "correct", str(cell), "--value", str(int(value) + 1)).exit_code == 0

    other = _one(
        loop.warehouse,
        "select review_item_id from fct_rule_results where review_status = 'open' "
        f"and review_item_id <> '{loop.ids['finding']}' order by review_item_id limit 1",
    )
    loop.ids["confirmed_then_undone"] = str(other)
    confirmed = _cli(loop, "confirm", str(other))
    assert _cli(loop, "undo", confirmed.output.split()[0]).exit_code == 0


@pytest.fixture(scope="module")
def reloaded(loop: Loop, browser: Any) -> Loop:
    """Decide in the app and the CLI, then re-publish one file, bump the extractor version,
    and run the load again (land → extract → load → dbt build)."""
    from xxgk.extract import batches
    from xxgk.land.inbox import land_inbox
    from xxgk.transform.dbt import run_dbt_build

    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    _decide_in_the_browser(loop, tab)
    tab.close()
    _decide_through_the_cli(loop)

    with (loop.inbox / CHANGED).open("a", encoding="utf-8") as handle:
        handle.write("\n（本报告已更新）\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batches, "EXTRACTOR_VERSION", NEW_VERSION)
        patch.setattr(batches.batch_id, "__defaults__", (NEW_VERSION,))
        landed = [f.as_row() for f in land_inbox(loop.inbox, loop.data / "raw")]
        load_rows(landed, loop.data, batch_size=200)
    assert run_dbt_build(loop.warehouse).success
    return loop


def test_the_app_resolves_and_dismisses_and_the_load_applies_both(
    reloaded: Loop, browser: Any
) -> None:
    loop = reloaded
    reextracted = "select distinct extractor_version from raw.reports where report_sha256 in "
    assert _one(
        loop.warehouse, reextracted + "(select report_sha256 from dim_reports where is_current)"
    ) == (NEW_VERSION)
    # the marts: the resolved cell is a cell, from the reviewer; the finding is dismissed
    value, read, source = _one(
        loop.warehouse,
        "select value, value_as_read, value_source from fct_report_cells "
        f"where review_item_id = '{loop.ids['unread']}'",
    )
    assert (value, read, source) == (0, None, "reviewer")
    status, note = _one(
        loop.warehouse,
        "select review_status, review_note from fct_rule_results "
        f"where review_item_id = '{loop.ids['finding']}'",
    )
    assert (status, note) == ("dismissed", NOTE)

    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(_agency_page(loop, UNREAD_REPORT.name))
    unread_row = tab.locator(f'table.unread-cells tr[data-item="{loop.ids["unread"]}"]')
    assert "resolved: 0" in unread_row.inner_text()
    cell_row = tab.locator(f'table.cells td[data-item="{loop.ids["unread"]}"]')
    assert "reviewer" in cell_row.inner_text()  # now a cell of the report, from the reviewer
    tab.goto(_agency_page(loop, FINDING_FILE))
    finding = tab.locator(f'.finding[data-rule="{FINDING_RULE}"]')
    assert "dismissed" in finding.locator(".review").inner_text()
    assert NOTE in finding.locator(".review-note").inner_text()
    assert finding.locator(".pending").count() == 0  # loaded now, no longer pending
    assert tab.evaluate("window.xss") is None and not errors  # the note stayed text
    _shot(tab, "review-applied.png", f'.finding[data-rule="{FINDING_RULE}"]')
    tab.goto(f"{loop.url}/decisions")
    _shot(tab, "review-decisions.png", "#decisions")
    tab.close()


def test_the_cli_decisions_are_applied_and_an_undo_takes_one_back(reloaded: Loop) -> None:
    loop = reloaded
    value, source, reviewer = _one(
        loop.warehouse,
        "select value, value_source, reviewer from fct_report_cells "
        f"where review_item_id = '{loop.ids['typed']}'",
    )
    assert (value, source, reviewer) == (7, "reviewer", "bob")
    assert (
        _one(
            loop.warehouse,
            "select review_status from fct_rule_results "
            f"where review_item_id = '{loop.ids['confirmed_then_undone']}'",
        )
        == "open"
    )
    listed = _cli(loop, "list", "--json").output
    assert loop.ids["finding"] not in listed and loop.ids["typed"] not in listed
    states = _cli(loop, "export").output
    assert states.count('"state": "applied"') == 3  # unread, finding, typed
    assert states.count('"state": "undone"') == 1 and states.count('"state": "undo"') == 1


def test_a_decision_about_a_file_whose_bytes_changed_is_stale(reloaded: Loop) -> None:
    loop = reloaded
    state, reason = _one(
        loop.warehouse,
        "select review_state, stale_reason from fct_review_decisions "
        f"where item_id = '{loop.ids['changed']}'",
    )
    assert state == "stale" and "bytes" in reason
    # the new version's cells are as read: the stale decision is not applied
    sources = _rows(
        loop.warehouse,
        "select distinct c.value_source from fct_report_cells c join dim_reports r "
        f"using (report_key) where r.is_current and r.source_path = '{CHANGED.as_posix()}'",
    )
    assert sources == [("text",)]
    listed = _cli(loop, "list")
    assert "stale " in listed.output and loop.ids["changed"] in listed.output


def test_a_decision_for_an_unknown_item_is_a_one_line_error(loop: Loop) -> None:
    result = _cli(loop, "dismiss", "f:0000000000000000:no.such.rule", "--note", "x")
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "unknown item" in result.output
    no_note = _cli(loop, "resolve", "c:0000000000000000:1.1.1", "--value", "x")
    assert no_note.exit_code != 0 and "unknown item" in no_note.output
