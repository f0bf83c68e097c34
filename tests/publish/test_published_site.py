"""What a load publishes, as a user meets it: `xxgk load` (the real DAG through `airflow dags
test`) on the samples, then its pages in chromium with the network off.

- dbt's docs of the warehouse: one page beside the reviewer's, named by the load's summary,
  linked from the reviewer's page, showing a mart's grain and a column's meaning
  (screenshot ``artifacts/dbt_docs.png``);
- the reports the reviewer's page lists as unknown, and the failed rules GX's Data Docs
  list, link to the report's section on its agency's page (and that to its file);
- the review app serves both sites at the static site's paths.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import pytest

from tests.support.chromium import CHROMIUM, LAUNCH_ARGS, NEEDS_CHROMIUM
from tests.support.paths import ARTIFACTS, REPO
from xxgk.core.paths import DataDir

pytestmark = [
    pytest.mark.integration,
    NEEDS_CHROMIUM,
]
XXGK = Path(sys.executable).with_name("xxgk")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataDir, str]:
    data = DataDir(tmp_path_factory.mktemp("dbt_docs") / "data")
    done = subprocess.run(
        [
            str(XXGK),
            "load",
            "--inbox",
            str(REPO / "samples" / "inbox"),
            "--warehouse",
            str(data.warehouse),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    log = data.load_log.read_text(encoding="utf-8")
    timed = re.search(r"dbt docs generate --static: ([\d.]+ s \([\d.]+ s CPU\))", log)
    print(f"dbt docs generate --static in the load: {timed and timed[1]}")  # measured
    return data, done.stdout


def test_the_load_writes_one_page_and_says_where(loaded: tuple[DataDir, str]) -> None:
    data, out = loaded
    assert f"dbt docs:       {data.dbt_docs} (tables, columns)" in out.splitlines()
    assert data.dbt_docs.is_file() and [p.name for p in data.dbt_docs.parent.iterdir()] == [
        "static_index.html"
    ]
    html = data.report_page.read_text(encoding="utf-8")
    assert '<a href="dbt_docs/static_index.html">' in html


def test_the_reviewer_page_links_docs_that_open_offline(
    loaded: tuple[DataDir, str],
) -> None:
    from playwright.sync_api import sync_playwright

    data, _ = loaded
    grain = "One row per extracted table cell of a report file version"
    with sync_playwright() as pw:
        browser, context, outside = _offline_browser(pw)
        tab: Any = context.new_page()
        errors: list[str] = []
        failed: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.on("requestfailed", lambda r: failed.append(unquote(r.url)))
        tab.goto(data.report_page.as_uri())
        tab.locator("#dbt-docs a").click()
        tab.wait_for_load_state("load")
        assert tab.url.split("#")[0] == data.dbt_docs.as_uri()
        # the mart's page of the docs app: its grain, and a column with its meaning
        tab.goto(f"{data.dbt_docs.as_uri()}#!/model/model.xxgk.fct_report_cells")
        tab.get_by_text(grain).first.wait_for()
        body = tab.locator("body").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "dbt_docs.png"), full_page=False)
        browser.close()
    assert outside == []
    # dbt-docs' page has two template names its build left as they are, which the browser
    # asks for as files before Angular fills them in (and, from a file:// page, refuses or
    # does not find): the sidebar's <img src="{{ getIcon(…) }}"> (not ng-src) and the
    # favicon's ${require('./assets/favicons/favicon.ico')}. Nothing else may fail.
    quirks = ("{{ getIcon(item.type, 'on') }}", "{{ getIcon(item.type, 'off') }}", "${require(")
    assert failed and all(any(q in url for q in quirks) for url in failed), set(failed)
    assert [e for e in errors if "getIcon(" not in e and "ERR_FILE_NOT_FOUND" not in e] == []
    assert "warehouse.main.fct_report_cells" in body  # the relation, in the catalog
    assert "The value the extractor read, before any reviewer's decision." in body
    assert (ARTIFACTS / "dbt_docs.png").stat().st_size > 10_000


def _offline_browser(pw: Any) -> tuple[Any, Any, list[str]]:
    """chromium with every non-file request aborted (and recorded)."""
    from playwright.sync_api import Route

    outside: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", offline)
    return browser, context, outside


def test_a_data_docs_finding_links_its_report(loaded: tuple[DataDir, str]) -> None:
    """The sample's broken table 三 fails v2021.t3.balance: the rule_results validation page
    names the report, and its key opens the report's section on the agency's page."""
    from playwright.sync_api import sync_playwright

    data, _ = loaded
    (validation,) = data.gx_docs.glob("validations/rule_results/**/*.html")
    with sync_playwright() as pw:
        browser, context, outside = _offline_browser(pw)
        tab = context.new_page()
        tab.goto(validation.as_uri())
        finding = tab.locator("td", has_text="v2021.t3.balance.natural_person").first
        assert "yanshiqu-renshe.html" in finding.inner_text()
        finding.locator("a").first.click()
        tab.wait_for_load_state("load")
        url, section = tab.url, tab.locator(f"section#{tab.url.split('#')[1]}")
        shown = section.inner_text()
        browser.close()
    assert outside == []
    assert re.search(r"/quality/agencies/[0-9a-f]{32}\.html#r-[0-9a-f]{32}$", url), url
    assert "yanshiqu-renshe.html" in shown and "v2021.t3.balance.natural_person" in shown


def test_an_unknown_report_links_its_report_and_its_file(loaded: tuple[DataDir, str]) -> None:
    from playwright.sync_api import sync_playwright

    data, _ = loaded
    with sync_playwright() as pw:
        browser, context, outside = _offline_browser(pw)
        tab = context.new_page()
        tab.goto(data.report_page.as_uri())
        row = tab.locator("#unknowns tbody tr").first
        name, path = row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text()
        raw = row.locator("a.raw-file").get_attribute("href")
        row.locator("td").first.locator("a").click()
        tab.wait_for_load_state("load")
        shown = tab.locator(f"section#{tab.url.split('#')[1]}").inner_text()
        browser.close()
    assert outside == []
    assert name in shown  # the report's own section, whose file link is there too
    assert raw and (data.report_page.parent / raw).resolve().is_file()
    assert (data.report_page.parent / raw).resolve().read_bytes() == (
        REPO / "samples" / "inbox" / path
    ).read_bytes()


def test_the_review_app_serves_both_sites(loaded: tuple[DataDir, str]) -> None:
    from starlette.testclient import TestClient

    from xxgk.publish.review.app import create_app

    data, _ = loaded
    client = TestClient(create_app(data.warehouse))
    main = client.get("/").text
    assert '<a href="dbt_docs/static_index.html">' in main
    docs = client.get("/dbt_docs/static_index.html")
    assert docs.status_code == 200 and docs.content == data.dbt_docs.read_bytes()
    (validation,) = data.gx_docs.glob("validations/rule_results/**/*.html")
    page = client.get("/" + validation.relative_to(data.quality).as_posix())
    assert page.status_code == 200
    href = re.search(r'\[<a href="([^"]+)">[0-9a-f]{12}</a>\]', page.text)
    assert href, "no linked finding"
    target = urljoin(str(page.url), href[1])
    section = client.get(target.split("#")[0])
    assert section.status_code == 200 and f'id="{target.split("#")[1]}"' in section.text
