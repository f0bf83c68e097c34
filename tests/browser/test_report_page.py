"""The reviewer's page in a real browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from xxgk.batches import extract_batch, plan_batches
from xxgk.land import land_inbox
from xxgk.load import load_warehouse
from xxgk.transform import run_dbt_build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "artifacts"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                       "(make test installs it when run as root with apt)"),
]


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    from xxgk.validate import validate_warehouse

    root = tmp_path_factory.mktemp("browser")
    inbox = root / "inbox"
    shutil.copytree(seeds_dir, inbox / "seeds")
    shutil.copytree(REPO / "samples" / "inbox", inbox / "samples")
    data = root / "data"
    landed = [f.as_row() for f in land_inbox(inbox, data / "raw")]
    batches = [extract_batch(b, data / "extracted") for b in plan_batches(landed, 8)]
    load_warehouse(data / "warehouse.duckdb", landed, batches)
    run_dbt_build(data / "warehouse.duckdb")
    summary = validate_warehouse(data / "warehouse.duckdb", data)
    assert summary.report_page is not None
    return Path(summary.report_page)


@pytest.fixture(scope="module")
def page(report_page: Path) -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto(report_page.as_uri())
        tab.wait_for_load_state("load")
        tab.errors = errors  # type: ignore[attr-defined]
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "report_page.png"), full_page=True)
        yield tab
        browser.close()


def test_page_loads_without_console_errors(page: Any) -> None:
    assert page.errors == []
    assert "数据质量报告" in page.title()
    assert (ARTIFACTS / "report_page.png").stat().st_size > 10_000


def test_failing_reports_table_lists_the_seed_findings(page: Any) -> None:
    rows = page.locator("#findings tbody tr")
    text = "\n".join(rows.all_inner_texts())
    assert "old.subset_press_principal" in text  # seed 001: 其中 2 under a blank parent
    assert "台州市经济和信息化委员会" in text
    assert "783" in text and "927" in text  # seed 002: prose 783 vs table 927 website items
    assert "v2021.t3.balance.natural_person" in text  # the deliberately broken sample


def test_search_filters_the_table(page: Any) -> None:
    total = int(page.locator("#shown").inner_text())
    page.fill("#q", "old.subset_press_principal")
    shown = int(page.locator("#shown").inner_text())
    assert 0 < shown < total
    visible = page.locator("#findings tbody tr:visible").all_inner_texts()
    assert visible and all("old.subset_press_principal" in t for t in visible)
    page.fill("#q", "")


def test_chart_is_inline_svg(page: Any) -> None:
    assert page.locator("svg").count() >= 1
