"""The reviewer's page; moved to :mod:`xxgk.reviewer` (this name stays for its callers)."""

from __future__ import annotations

from xxgk.reviewer import (
    MAX_EVIDENCE_ITEMS,
    MAX_ROWS,
    PAGE_NAME,
    PageCounts,
    render_evidence,
    render_page,
    write_report_page,
)

__all__ = [
    "MAX_EVIDENCE_ITEMS",
    "MAX_ROWS",
    "PAGE_NAME",
    "PageCounts",
    "render_evidence",
    "render_page",
    "write_report_page",
]
