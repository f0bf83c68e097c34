"""The crawl manifest: ``<inbox>/.crawl/manifest.jsonl``, one JSON line per URL a crawl
visited, refused or skipped (``CrawlRecord``), each flushed to disk before the crawl goes on,
so a killed crawl can be resumed and every inbox file traced to its URL (``xxgk.land.crawl``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Literal, TypedDict

log = logging.getLogger(__name__)

Role = Literal["list", "report", "attachment"]
Event = Literal["start", "fetched", "unchanged", "failed", "refused", "skipped", "end"]
CRAWL_DIR = ".crawl"  # hidden: the inbox landing skips it
MANIFEST_NAME = "manifest.jsonl"


class CrawlRecord(TypedDict, total=False):
    run: str
    event: Event
    role: Role
    url: str
    final_url: str
    fetched_at: str
    status: int | None
    content_type: str | None
    charset: str | None
    sha256: str | None
    inbox_path: str | None  # relative to the inbox; None for list and cover pages
    referrer: str | None
    anchor: str | None
    title: str | None
    breadcrumb: str | None
    page_url: str | None  # attachments of a cover page: the page that gives the report
    cover: bool  # a report page that only points at its attachment (详见附件)
    etag: str | None
    last_modified: str | None
    reason: str | None
    message: str | None
    attempts: int
    start_urls: list[str]
    pages: int


def manifest_path(inbox: Path) -> Path:
    return inbox / CRAWL_DIR / MANIFEST_NAME


def read_manifest(inbox: Path) -> list[CrawlRecord]:
    """Every complete line of the crawl manifest (a line torn by a kill is ignored)."""
    path = manifest_path(inbox)
    if not path.exists():
        return []
    records: list[CrawlRecord] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            log.warning("crawl manifest %s: an incomplete line is ignored", path)
    return records


class ManifestWriter:
    """Appends records, each flushed to disk before the crawl goes on (resumability)."""

    def __init__(self, inbox: Path) -> None:
        self.path = manifest_path(inbox)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a", encoding="utf-8")

    def write(self, record: CrawlRecord) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()
