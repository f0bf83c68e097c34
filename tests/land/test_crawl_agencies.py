"""Issue 27's crawl check: `xxgk crawl` of a generated site whose report pages carry
breadcrumbs on several separators and spam-polluted titles and bodies, then the load's
steps (land with the crawl manifest, plan, extract, load): every report's agency, its
qualified name, its region and, for a township office's report, the compiler are right."""

from __future__ import annotations

import duckdb
import pytest

from tests.land.test_crawl import SETTINGS
from tests.support.agency_site import PAGES, Page, routes
from tests.support.crawl_site import Site, serve
from xxgk.core.text import simplify
from xxgk.extract.agency import Provenance, resolve
from xxgk.land.crawl import crawl
from xxgk.orchestration import pipeline

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, ...]]:
    root = tmp_path_factory.mktemp("crawl-agencies")
    inbox, warehouse = root / "inbox", root / "data" / "warehouse.duckdb"
    with serve(Site(routes=routes(), fail_first=set())) as site:
        crawl([site.base + "/col/nb/index.html"], inbox, SETTINGS)
        base = site.base
    landing = pipeline.land_step(inbox, warehouse, None)
    batches = [pipeline.extract_step(b, warehouse) for b in pipeline.plan_step(landing["manifest"])]
    pipeline.load_step(warehouse, landing["manifest"], batches)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select l.url, r.agency, r.agency_qualified, r.region_code, r.agency_compiler,"
            " r.agency_signal, r.region_signal from raw.reports r"
            " join raw.landed_files l using (report_sha256)"
        ).fetchall()
    return {str(r[0]).removeprefix(base): r[1:] for r in rows}


def test_every_crawled_page_is_loaded(loaded: dict[str, tuple[object, ...]]) -> None:
    assert sorted(loaded) == sorted(p.path for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_every_agency_is_right(loaded: dict[str, tuple[object, ...]], page: Page) -> None:
    agency, qualified, code, compiler, signal, region_via = loaded[page.path]
    assert (agency, qualified, code, compiler) == page.expected, (signal, region_via)
    assert signal is not None and region_via is not None  # with its evidence


def test_the_evidence_of_a_polluted_page() -> None:
    """The page with inserted spam: the link's text decides, the breadcrumb and the
    title's real remainder agree with it."""
    page = PAGES[1]
    found = resolve(
        simplify(page.heading.removeprefix("<h1>").removesuffix("</h1>")),
        Provenance(
            page_title=page.title,
            anchor_text=page.anchor,
            breadcrumb="首页 › 信息公开 › 北京街道办事处",
        ),
    )
    assert found.evidence is not None
    assert found.evidence["signal"] == "crawl_anchor"
    assert set(found.evidence.get("agrees", [])) >= {"title", "crawl_breadcrumb"}
    assert found.evidence.get("inserted") is None
