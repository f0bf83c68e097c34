"""Data Docs without the network: GX's CDN scripts, stylesheets and logo replaced by the
vendored copies (xxgk.quality.docs_offline), checked on GX's own templates, on a synthetic
site, on a real validation's site and in chromium with every non-file request aborted.

The browser test saves its screenshots to ``artifacts/gx_docs_*.png`` (CI keeps them).
"""

from __future__ import annotations

import importlib.util
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.quality.conftest import Built
from tests.support.chromium import CHROMIUM, LAUNCH_ARGS, NEEDS_CHROMIUM
from tests.support.paths import ARTIFACTS
from xxgk.quality import docs_offline
from xxgk.quality.docs_offline import ASSETS_DIR, CDN_ASSETS, localize_data_docs, localize_page

# found, not imported: importing GX takes seconds
_GX = importlib.util.find_spec("great_expectations")
GX_TEMPLATES = Path(str(_GX and _GX.origin)).parent / "render" / "view" / "templates"
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


class _Loads(HTMLParser):
    """What a page makes the browser fetch: script/img src, link href, CSS url() in <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "img": "src", "link": "href"}.get(tag)
        self.urls += [v for k, v in attrs if k == wanted and v]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += [u for u in CSS_URL.findall(data) if not u.startswith("data:")]


def loads(page: Path) -> list[str]:
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


# --- unit: the vendored files and the rewriting ------------------------------------------


def test_every_cdn_url_has_its_vendored_file_and_their_css_urls_resolve() -> None:
    for url, path in CDN_ASSETS.items():
        assert (ASSETS_DIR / path).is_file(), url
    for css in ASSETS_DIR.rglob("*.css"):
        for ref in CSS_URL.findall(css.read_text(encoding="utf-8")):
            if not ref.startswith(("data:", "#")):
                assert (css.parent / ref).is_file(), (css, ref)


def test_gx_templates_load_nothing_without_a_local_copy() -> None:
    """A GX upgrade adding a CDN file fails here, before any page is rendered."""
    templates = sorted(GX_TEMPLATES.rglob("*.j2"))
    assert templates
    remote: set[str] = set()
    for template in templates:
        localize_page(template.read_text(encoding="utf-8"), 0, remote)
    assert remote == set()


S3 = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com"
PAGE = f"""<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"
  integrity="sha384-ApNbgh9B" crossorigin="anonymous"></script>
<script src="https://cdn.example.org/new-widget.js"></script>
<link rel="shortcut icon" href="../static/images/favicon.ico" type="image/x-icon"/>
<style>.navbar-brand a {{ background: url('{S3}/full_logo_dark.png') 0 0; }}</style>
</head><body>
<img class="NO-CACHE" src="{S3}/logo-long.png?d=1&dataContextId=x"/>
<a href="https://greatexpectations.io">a link is not loaded</a>
</body></html>
"""


def test_pages_load_local_copies_at_any_depth_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "gx_docs"
    deep = site / "validations" / "s" / "__none__" / "20240101T000000Z" / "page.html"
    for page in (site / "index.html", deep):
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE, encoding="utf-8")
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    (site / "static" / "images" / "favicon.ico").write_bytes(b"ico")  # linked a level off

    with caplog.at_level(logging.WARNING, logger=docs_offline.__name__):
        first = localize_data_docs(site)
    assert (first.pages, first.rewritten) == (2, 2)
    assert first.remote == ("https://cdn.example.org/new-widget.js",)
    assert "https://cdn.example.org/new-widget.js" in caplog.text  # reported, not silent

    for page in (site / "index.html", deep):
        text = page.read_text(encoding="utf-8")
        assert "integrity=" not in text and "crossorigin" not in text  # refused on file://
        assert "https://greatexpectations.io" in text  # links stay links
        for url in loads(page):
            if url != "https://cdn.example.org/new-widget.js":
                assert not url.startswith("http"), (page, url)
                assert (page.parent / url).is_file(), (page, url)
    assert '"../../../../static/vendor/bootstrap-4.3.1/' in deep.read_text(encoding="utf-8")

    again = localize_data_docs(site)
    assert (again.rewritten, again.copied, again.remote) == (0, 0, first.remote)


def test_a_missing_site_is_left_alone(tmp_path: Path) -> None:
    assert localize_data_docs(tmp_path / "none").pages == 0
    assert not (tmp_path / "none").exists()


# --- a real validation's Data Docs -------------------------------------------------------


@pytest.fixture(scope="module")
def gx_docs(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xxgk.quality.validate import validate_warehouse

    summary = validate_warehouse(built.warehouse, tmp_path_factory.mktemp("docs_offline"))
    return summary.data_docs_index.parent


@pytest.mark.integration
def test_validation_docs_load_only_files_inside_the_site(gx_docs: Path) -> None:
    pages = list(docs_offline.site_pages(gx_docs))
    assert any(p.parts[-5] == "validations" for p in pages if len(p.parts) > 5), pages
    for page in pages:
        urls = loads(page)
        assert any("static/vendor/jquery-3.7.1/" in u for u in urls), page
        for url in urls:
            assert not re.match(r"(?i)(https?:)?//", url), (page, url)
            assert (page.parent / url.split("?")[0]).is_file(), (page, url)


STYLED = """async () => {
  await document.fonts.ready;
  const css = (sel, prop) => {
    const el = document.querySelector(sel);
    return el ? getComputedStyle(el)[prop] : null;
  };
  return {
    jquery: typeof window.jQuery,
    bootstrapTable: typeof (window.jQuery && window.jQuery.fn.bootstrapTable),
    tooltip: typeof (window.jQuery && window.jQuery.fn.tooltip),
    vegaEmbed: typeof window.vegaEmbed,
    navbar: css(".navbar", "display"),
    bodyFont: css("body", "fontFamily"),
    tables: document.querySelectorAll(".bootstrap-table").length,
    rows: document.querySelectorAll(".bootstrap-table tbody tr").length,
    iconFont: [...document.fonts].some(
      f => f.family.includes("Font Awesome 6 Free") && f.status === "loaded"),
    logo: document.querySelector(".navbar-brand img").naturalWidth,
  };
}"""


@pytest.mark.integration
@NEEDS_CHROMIUM
def test_docs_are_styled_with_the_network_off(gx_docs: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    validation = next(gx_docs.glob("validations/rule_results/**/*.html"))
    pages = {"gx_docs_index.png": gx_docs / "index.html", "gx_docs_validation.png": validation}
    outside: list[str] = []

    def offline(route: Route) -> None:  # the network is off: only file:// loads
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", offline)
        for shot, page in pages.items():
            _check_styled(context, page, ARTIFACTS / shot)
        browser.close()
    assert outside == []
    assert all((ARTIFACTS / shot).stat().st_size > 10_000 for shot in pages)


def _check_styled(context: Any, page: Path, shot: Path) -> None:
    """Open ``page``, screenshot it to ``shot`` and check Bootstrap & co. styled it."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(page.as_uri())
    tab.wait_for_load_state("load")
    styled = tab.evaluate(STYLED)
    tab.screenshot(path=str(shot), full_page=False)
    print(f"screenshot: {shot}")
    assert errors == [], (page, errors)
    assert styled["jquery"] == styled["bootstrapTable"] == "function", styled
    assert styled["tooltip"] == styled["vegaEmbed"] == "function", styled
    assert styled["navbar"] == "flex", styled  # Bootstrap's navbar, not a plain block
    assert styled["bodyFont"].startswith("-apple-system"), styled  # Bootstrap's reboot
    assert styled["tables"] > 0 and styled["rows"] > 0, styled  # built by bootstrap-table
    assert styled["iconFont"] and styled["logo"] > 0, styled
    assert tab.locator(".navbar").first.is_visible()
    assert "rule_results" in tab.inner_text("body")
    tab.close()
