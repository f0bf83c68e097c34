"""What the crawl manifest says about the files ``xxgk crawl`` put into an inbox, attached
to their landing rows: the report's URL (for an attachment behind a 详见附件 cover page,
the page's URL, and the file's own URL beside it), when it was fetched, the HTTP status,
the header charset, the anchor text, the page title and the breadcrumb."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from xxgk.land.crawl import CrawlRecord, read_manifest
from xxgk.land.inbox import LandedFile


def crawled_files(inbox: Path) -> dict[str, CrawlRecord]:
    """Inbox path (relative, POSIX) → the last manifest record that placed it there."""
    found: dict[str, CrawlRecord] = {}
    for record in read_manifest(inbox):
        path = record.get("inbox_path")
        if path and record.get("event") in ("fetched", "unchanged"):
            found[path] = record
    return found


def with_provenance(landed: LandedFile, record: CrawlRecord) -> LandedFile:
    """``landed`` with the crawl's provenance (``url`` is the page that gives the report)."""
    page_url = record.get("page_url")
    return dataclasses.replace(
        landed,
        url=page_url or record.get("url"),
        fetched_at=record.get("fetched_at"),
        http_status=record.get("status"),
        charset_hint=record.get("charset"),
        file_url=record.get("url") if page_url else None,
        anchor_text=record.get("anchor"),
        page_title=record.get("title"),
        breadcrumb=record.get("breadcrumb"),
    )


def apply_crawl_provenance(landed: list[LandedFile], inbox: Path) -> list[LandedFile]:
    """Landing rows of ``inbox``, those of crawled files completed from its manifest."""
    crawled = crawled_files(inbox)
    if not crawled:
        return landed
    return [
        with_provenance(f, crawled[f.source_path]) if f.source_path in crawled else f
        for f in landed
    ]
