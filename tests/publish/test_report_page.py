"""The reviewer's page in a real browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.chromium import CHROMIUM, LAUNCH_ARGS, NEEDS_CHROMIUM
from tests.support.paths import ARTIFACTS

pytestmark = [
    pytest.mark.integration,
    NEEDS_CHROMIUM,
]


@pytest.fixture(scope="module")
def report_page(demo_with_seeds: tuple[Path, bool], seeds_dir: Path) -> Path:
    from xxgk.orchestration.pipeline import validate_step

    warehouse, _ = demo_with_seeds
    return Path(validate_step(warehouse, {})["report_page"])


@pytest.fixture(scope="module")
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def _tab(browser: Any) -> Any:
    """A new tab that records console errors and uncaught exceptions in ``tab.errors``."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.errors = errors
    return tab


@pytest.fixture(scope="module")
def page(browser: Any, report_page: Path) -> Any:
    tab = _tab(browser)
    tab.goto(report_page.as_uri())
    tab.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "report_page.png"), full_page=True)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def agency_page(browser: Any, report_page: Path) -> Any:
    """The page of seed 001's agency, reached by clicking its link on the main page."""
    tab = _tab(browser)
    tab.goto(report_page.as_uri())
    tab.locator("#agencies a", has_text="台州市经济和信息化委员会").click()
    tab.wait_for_load_state("load")
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "agency_page.png"), full_page=False)
    yield tab
    tab.close()


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


def test_charts_show_the_trend_and_the_refusal_reasons(page: Any) -> None:
    years = page.locator("#chart-trend rect.col").evaluate_all(
        "els => els.map(e => e.dataset.year)"
    )
    assert years == sorted(years) and {"2017", "2020", "2023"} <= set(years)
    refusals = page.locator("#chart-refusals").inner_text()
    assert "不予公开理由" in refusals
    assert page.locator("#chart-refusals rect.bar").count() == 7


def test_agency_page_opens_from_the_main_page_without_console_errors(agency_page: Any) -> None:
    assert agency_page.errors == []
    assert re.search(r"/agencies/[0-9a-f]{32}\.html$", agency_page.url)
    assert "台州市经济和信息化委员会" in agency_page.title()
    assert (ARTIFACTS / "agency_page.png").stat().st_size > 10_000


def test_agency_page_shows_the_finding_beside_its_cells(agency_page: Any) -> None:
    finding = agency_page.locator('.finding[data-rule="old.subset_press_principal"]')
    assert finding.is_visible() and "错误" in finding.inner_text()
    cell = agency_page.locator('tr.flag[data-code="old_resp_press_conf_principal"]')
    assert cell.is_visible() and "2" in cell.locator("td.num").inner_text()
    cell.locator("a", has_text="old.subset_press_principal").click()
    assert agency_page.evaluate("location.hash").startswith("#f-")
    assert finding.evaluate("e => e.matches(':target')")


FILTERS = {"sev": "severity", "aut": "automation", "cat": "category"}


@pytest.mark.parametrize("select_id", sorted(FILTERS))
def test_each_filter_option_shows_exactly_its_rows(page: Any, select_id: str) -> None:
    """Select every option of the severity / kind / family filters in turn and count rows."""
    rows = page.locator("#findings tbody tr")
    values = rows.evaluate_all(f"els => els.map(e => e.dataset.{FILTERS[select_id]})")
    offered = [
        v
        for v in page.locator(f"#{select_id} option").evaluate_all("els => els.map(e => e.value)")
        if v
    ]
    assert sorted(offered) == sorted(set(values))  # every value listed, none missing
    if select_id != "cat":
        assert len(offered) >= 2, offered  # the seeds have errors and warnings, two kinds
    for value in offered:
        page.select_option(f"#{select_id}", value)
        visible = page.locator("#findings tbody tr:visible").count()
        assert visible == values.count(value) > 0, value
        assert int(page.locator("#shown").inner_text()) == visible
    ARTIFACTS.mkdir(exist_ok=True)  # the last option selected, for the CI artefacts
    page.locator("#findings").screenshot(path=str(ARTIFACTS / f"filter_{select_id}.png"))
    page.select_option(f"#{select_id}", "")
    assert page.locator("#findings tbody tr:visible").count() == len(values)


def test_a_report_links_to_its_raw_file(agency_page: Any) -> None:
    link = agency_page.locator("section.report a.raw-file").first
    href = link.get_attribute("href")
    assert href and href.startswith("../../raw/")
    target = Path(agency_page.url.removeprefix("file://")).parent / href
    assert target.resolve().is_file()
