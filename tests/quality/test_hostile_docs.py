"""Hostile report text in the quality pages: an agency named ``<script>alert('xss')</script>``
shows as text in the Great Expectations Data Docs (whose unexpected-values table inserts
values unescaped) and on the reviewer's site, and runs nowhere.

The report is the 2023 sample (which fails a balance rule, so its agency reaches the
rule-results validation page as an unexpected value), landed with a hostile agency hint (the
agency column of a URL list), which names its publisher.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.support.chromium import CHROMIUM, LAUNCH_ARGS, NEEDS_CHROMIUM
from tests.support.warehouse import load_rows
from xxgk.land.inbox import land_inbox
from xxgk.transform.dbt import run_dbt_build

PAYLOAD = "<script>alert('xss')</script>"
HOSTILE_AGENCY = f"演示区{PAYLOAD}人社局"
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def quality_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xxgk.orchestration.pipeline import validate_step

    root = tmp_path_factory.mktemp("hostile_docs")
    inbox, data = root / "inbox" / "2023", root / "data"
    inbox.mkdir(parents=True)
    shutil.copy(
        REPO / "samples" / "inbox" / "2023" / "yanshiqu-renshe.html", inbox / "hostile.html"
    )
    # the agency column of a URL list names the publisher: a hostile list names it so
    landed = [
        {**f.as_row(), "agency_hint": HOSTILE_AGENCY}
        for f in land_inbox(root / "inbox", data / "raw")
    ]
    load_rows(landed, data)
    assert run_dbt_build(data / "warehouse.duckdb").success
    summary = validate_step(data / "warehouse.duckdb", {})
    assert summary["failed_rules_by_severity"].get("error")  # the finding names the agency
    return Path(summary["data_docs_index"]).parents[1]


def _pages(quality_dir: Path) -> list[Path]:
    return sorted(quality_dir.rglob("*.html"))


def test_no_page_holds_the_payload_as_markup(quality_dir: Path) -> None:
    pages = _pages(quality_dir)
    docs = [p for p in pages if "gx_docs" in p.parts and "rule_results" in p.parts]
    assert docs, pages  # the rule-results validation page was written
    for page in pages:
        assert "<script>alert" not in page.read_text(encoding="utf-8"), page
    # …and it is there, escaped: the finding still names the agency
    shown = "".join(p.read_text(encoding="utf-8") for p in docs)
    assert re.search(r"&lt;script&gt;alert\((&#x27;|&#39;)xss", shown)


@NEEDS_CHROMIUM
def test_every_page_loads_without_a_dialog(quality_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    seen_as_text = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        tab: Any = browser.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for page in _pages(quality_dir):
            tab.goto(page.as_uri())
            tab.wait_for_load_state("load")
            tab.wait_for_timeout(200)  # an onload or deferred script would have fired
            if PAYLOAD in tab.inner_text("body"):
                seen_as_text.append(page.name)
        browser.close()
    assert dialogs == []
    assert any(name.endswith("rule_results.html") for name in seen_as_text), seen_as_text
