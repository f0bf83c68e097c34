"""Write the reviewer's pages: ``report.html`` and ``agencies/<agency key>.html`` beside it."""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from xxgk.core.paths import REPORT_PAGE
from xxgk.publish.reviewer import queries
from xxgk.publish.reviewer.agency_page import RawHref, render_agency_page
from xxgk.publish.reviewer.docs_links import link_findings
from xxgk.publish.reviewer.html import page_name
from xxgk.publish.reviewer.overview import AGENCY_DIR, render_page

if TYPE_CHECKING:
    from collections.abc import Sequence

    import duckdb

    from xxgk.quality.validate import SuiteStatistics, ValidationSummary

logger = logging.getLogger(__name__)

PAGE_NAME: Final = REPORT_PAGE  # DataDir.report_page in the data directory's quality/
MAX_ROWS: Final = 2000  # failed results listed on the main page (errors first); counts cover all
# agencies with a page (and in the index), those with failed errors first: at 100k reports a
# page per agency would be tens of thousands of files nobody opens from this page
MAX_AGENCY_PAGES: Final = 2000
_OUR_PAGE: Final = re.compile(r"[0-9a-f]{8,64}\.html")


def _clear_stale(folder: Path, keep: set[str]) -> None:
    """Remove agency pages of an earlier load that this load does not write again."""
    for old in folder.glob("*.html"):
        if _OUR_PAGE.fullmatch(old.name) and old.name not in keep:
            old.unlink()


def _raw_href(raw_dir: Path, pages: Path) -> RawHref:
    """Links from the pages in ``pages`` to the raw store's files, relative."""
    base = Path(os.path.relpath(raw_dir.resolve(), pages.resolve())).as_posix()

    def href(sha256: str) -> str:
        return f"{base}/{sha256[:2]}/{sha256}"  # the raw store's layout (xxgk.core.paths)

    return href


def write_report_page(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    max_rows: int = MAX_ROWS,
    max_agency_pages: int = MAX_AGENCY_PAGES,
    raw_dir: Path | None = None,
    suites: Sequence[SuiteStatistics] | None = None,
    dbt_docs: Path | None = None,
    gx_docs: Path | None = None,
) -> Path:
    """Read the marts and write the main page to ``path`` and the agency pages beside it.

    Args:
        con: a connection to the built warehouse (read-only is enough).
        path: the main page, usually ``<data dir>/quality/report.html``.
        max_rows: failed results listed on the main page.
        max_agency_pages: agencies that get a page of their own.
        raw_dir: the raw store (``<data dir>/raw``): each report links to its file there,
            by a relative link, so the data directory can move as a whole.
        suites: the Great Expectations suites' outcomes for the page's section on them.
        dbt_docs: dbt's one-page docs of the warehouse, linked (relatively) when present.
        gx_docs: the Data Docs site, whose failed rules get links to their reports' sections
            (``docs_links.link_findings``).

    Returns:
        ``path``.
    """
    now = datetime.now(UTC)
    agencies, pages = agency_pages(con, max_agency_pages)
    folder = path.parent / AGENCY_DIR
    folder.mkdir(parents=True, exist_ok=True)
    _clear_stale(folder, set(pages.values()))
    raw_href = None if raw_dir is None else _raw_href(raw_dir, folder)
    for view in queries.iter_agency_views(con, list(pages)):
        page = folder / pages[str(view.agency["agency_key"])]
        page.write_text(render_agency_page(view, now, raw_href), encoding="utf-8")
    docs_href = None
    if dbt_docs is not None and dbt_docs.is_file():
        docs_href = Path(os.path.relpath(dbt_docs.resolve(), path.parent.resolve())).as_posix()
    main_raw_href = None if raw_dir is None else _raw_href(raw_dir, path.parent)
    html = overview_html(con, agencies, pages, now, max_rows, suites, docs_href, main_raw_href)
    path.write_text(html, encoding="utf-8")
    if gx_docs is not None and gx_docs.is_dir():
        report_pages = {
            report: folder / pages[agency]
            for report, agency in queries.read_report_agencies(con).items()
            if agency in pages
        }
        link_findings(gx_docs, report_pages)
    logger.info("review page: %s (%d agency pages)", path, len(pages))
    return path


def overview_html(
    con: duckdb.DuckDBPyConnection,
    agencies: list[dict[str, Any]],
    pages: dict[str, str],
    now: datetime,
    max_rows: int = MAX_ROWS,
    suites: Sequence[SuiteStatistics] | None = None,
    dbt_docs: str | None = None,
    raw_href: RawHref | None = None,
) -> str:
    """The main page (the static site's ``report.html``, the app's ``/``); ``dbt_docs`` is
    the link to dbt's docs page and ``raw_href`` to a file of the raw store, relative to it
    (None: not linked)."""
    return render_page(
        queries.read_failed(con, max_rows),
        queries.read_counts(con),
        now,
        trend=queries.read_trend(con),
        refusals=queries.read_refusals(con),
        agencies=agencies,
        agency_pages=pages,
        unknowns=queries.read_unknowns(con),
        suites=suites,
        dbt_docs=dbt_docs,
        raw_href=raw_href,
    )


def agency_pages(
    con: duckdb.DuckDBPyConnection, max_agency_pages: int = MAX_AGENCY_PAGES
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The agencies with a page, and each one's page file name by agency key."""
    agencies = queries.read_agencies(con, max_agency_pages)
    return agencies, {str(a["agency_key"]): page_name(str(a["agency_key"])) for a in agencies}


def publish_site(
    warehouse: Path, quality_dir: Path, validation: ValidationSummary | None = None
) -> Path:
    """Write the reviewer's pages of a built warehouse into ``quality_dir``; return the main
    page. Opens the warehouse read-only, under the validation step's memory bound.
    ``validation``: the GX run whose suites the main page summarises (None: none ran)."""
    import duckdb

    from xxgk.core.db import limit_memory
    from xxgk.core.limits import Limits
    from xxgk.core.paths import DataDir

    quality_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("set enable_progress_bar = false")
        limit_memory(con, Limits.from_env().validate_memory_limit)
        return write_report_page(
            con,
            quality_dir / PAGE_NAME,
            raw_dir=DataDir.of(warehouse).raw,
            suites=None if validation is None else list(validation.suites.values()),
            dbt_docs=DataDir.of(warehouse).dbt_docs,
            gx_docs=DataDir.of(warehouse).gx_docs,
        )
