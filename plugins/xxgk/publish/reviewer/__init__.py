"""The reviewer's pages: one static HTML site per load, next to Data Docs.

``<data_dir>/quality/report.html`` shows the summary counts, charts (applications received
per year, refusal reasons, failed rules per check family; inline SVG, the machine is offline),
an index of agencies and a filterable table of every failed rule with its numbers and source
snippet. ``<data_dir>/quality/agencies/<agency key>.html`` shows one agency over every loaded
year: the printed cells (Chinese label, English name, value, raw text, locator) beside the
rule findings of that report. Labels are Chinese with English alongside.

Everything that comes from a report is HTML-escaped; the pages have no external resources
and only a few lines of inline script for the filters.

Modules: ``queries`` (SQL on the marts), ``charts`` (SVG), ``html`` (labels, evidence, page
shell), ``overview`` and ``agency_page`` (the two kinds of page), ``site`` (writes them).
"""

from __future__ import annotations

from xxgk.publish.reviewer.agency_page import render_agency_page
from xxgk.publish.reviewer.html import MAX_EVIDENCE_ITEMS, page_name, render_evidence
from xxgk.publish.reviewer.overview import AGENCY_DIR, render_page
from xxgk.publish.reviewer.queries import AgencyView, PageCounts, ReportView
from xxgk.publish.reviewer.site import (
    MAX_AGENCY_PAGES,
    MAX_ROWS,
    PAGE_NAME,
    publish_site,
    write_report_page,
)

__all__ = [
    "AGENCY_DIR",
    "MAX_AGENCY_PAGES",
    "MAX_EVIDENCE_ITEMS",
    "MAX_ROWS",
    "PAGE_NAME",
    "AgencyView",
    "PageCounts",
    "ReportView",
    "page_name",
    "publish_site",
    "render_agency_page",
    "render_evidence",
    "render_page",
    "write_report_page",
]
