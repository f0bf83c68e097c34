"""Landing from the web: walk a site's 年报 column into an inbox folder (``xxgk crawl``).

From a column's list page the crawl follows its pagination, the report pages it links and
their attachments (``xxgk.land.crawl_html``), politely (``xxgk.land.crawl_http``). Scope:
list pages stay inside the start URL's folder on its host; report pages and attachments
may be anywhere on that host (sites keep articles under ``/art/…`` and files under
``/module/download/…``, outside the column's folder), one hop from where they are linked.

The inbox gets:

- ``<inbox>/<year>/web/<sha256>.<ext>`` (or ``<inbox>/web/…`` when no year is named): each
  report page and attachment, content-addressed, written atomically (a hard link of the
  stored object, else a renamed copy), never a path taken from the URL. ``xxgk load``
  lands these like any inbox file.
- ``<inbox>/.crawl/objects/``: every body fetched (list pages too), by sha256, so a
  re-crawl can parse a page the server says is unchanged (304), and a killed crawl can be
  resumed by replaying what it fetched.
- ``<inbox>/.crawl/manifest.jsonl``: one JSON line per URL visited (``CrawlRecord``):
  what was fetched, unchanged, failed (dead links, with the HTTP status), refused (robots,
  scope) or skipped (before ``--since``, over the page cap), with the referring page, the
  anchor text, the page title and the breadcrumb. A report page that only says 详见附件
  (a *cover*) is not put in the inbox: its attachment is the report, and the attachment's
  record carries the cover page's URL, title and breadcrumb.

Re-crawls send ``If-None-Match`` / ``If-Modified-Since`` from the last answer for each
URL, so an unchanged site downloads nothing; a changed page is a new object and a new
inbox file (a new version). A crawl killed midway is resumed by the next crawl of the same
start URLs: URLs it visited are replayed from the manifest, not requested again.
"""

from __future__ import annotations

import heapq
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from xxgk.core.charset import decode_text
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import FETCH_FAILED
from xxgk.land.crawl_html import (
    ATTACHMENT_SUFFIXES,
    Link,
    PageInfo,
    parse_page,
    suffix_of,
    year_of,
)
from xxgk.land.crawl_http import (
    OUT_OF_SCOPE,
    ROBOTS_DISALLOWED,
    CrawlClient,
    Scope,
)
from xxgk.land.crawl_manifest import (
    CRAWL_DIR,
    MANIFEST_NAME,
    CrawlRecord,
    Event,
    ManifestWriter,
    Role,
    manifest_path,
    read_manifest,
)
from xxgk.land.fetch import FetchSettings
from xxgk.land.inbox import store_bytes

log = logging.getLogger(__name__)
__all__ = [  # the manifest's names, long imported from here
    "CRAWL_DIR",
    "MANIFEST_NAME",
    "CrawlRecord",
    "CrawlSettings",
    "CrawlSummary",
    "Crawler",
    "Event",
    "Role",
    "crawl",
    "manifest_path",
    "read_manifest",
]

DEFAULT_MAX_PAGES = 500  # per start URL: a link trap (calendars, sessions) ends here
DEFAULT_DELAY_S = 1.0
_RANK: dict[str, int] = {"attachment": 0, "report": 1, "page": 2, "other": 3}
_TYPE_SUFFIX = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/zip": "zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/kswps": "wps",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
}


@dataclass(frozen=True)
class CrawlSettings:
    """Knobs of one crawl; HTTP timeouts, retries and caps come from ``FetchSettings``.

    Raises:
        ValueError: a page cap below 1, a negative delay, or an implausible ``since``.
    """

    max_pages: int = DEFAULT_MAX_PAGES
    delay_s: float = DEFAULT_DELAY_S
    since: int | None = None  # skip reports whose link names an earlier year
    fetch: FetchSettings = field(default_factory=FetchSettings.from_env)

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        if self.delay_s < 0:
            raise ValueError("delay_s must not be negative")
        if self.since is not None and not 1990 <= self.since <= 2100:
            raise ValueError("since must be a year")


@dataclass(frozen=True, order=True)
class _Target:
    rank: int
    depth: int
    seq: int
    url: str = field(compare=False)
    role: Role = field(compare=False)
    referrer: str | None = field(compare=False, default=None)
    anchor: str | None = field(compare=False, default=None)
    cover: CrawlRecord | None = field(compare=False, default=None)


@dataclass
class CrawlSummary:
    manifest: str
    pages: int = 0  # URLs visited (fetched, unchanged or failed), robots.txt not counted
    requests: int = 0  # HTTP requests sent, retries and robots.txt included
    by_event: dict[str, int] = field(default_factory=dict)
    inbox_files: list[str] = field(default_factory=list)  # report pages and attachments
    resumed: bool = False


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _suffix(content_type: str | None, url: str) -> str:
    """The inbox file's suffix: the URL's when a decoder reads it, else the content type's
    (the decoders sniff the bytes anyway; the suffix only helps a person)."""
    by_url = suffix_of(url)
    if by_url in ATTACHMENT_SUFFIXES:
        return by_url
    fallback = by_url if by_url.isalnum() and len(by_url) <= 5 else "bin"
    return _TYPE_SUFFIX.get(content_type or "", fallback)


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:512].lstrip().lower()
    return not content_type and head.startswith((b"<!doctype html", b"<html"))


def _decode(body: bytes, charset: str | None) -> tuple[str, str | None]:
    try:
        found = decode_text(body, charset)
    except UnreadableDocument:
        return "", None
    return found.text, found.encoding


class Crawler:
    """Crawls start URLs into ``inbox`` (see the module docstring)."""

    def __init__(
        self,
        inbox: Path,
        settings: CrawlSettings | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.inbox = inbox
        self.settings = settings or CrawlSettings()
        self.objects = inbox / CRAWL_DIR / "objects"
        self._transport = transport

    def crawl(self, start_urls: Sequence[str]) -> CrawlSummary:
        """Crawl every start URL (one site each); resume the last crawl of the same start
        URLs when it was killed before its end."""
        history = read_manifest(self.inbox)
        run, replay = self._resume(history, list(start_urls))
        known = _last_good(history)
        manifest = ManifestWriter(self.inbox)
        client = CrawlClient(self.settings.fetch, self.settings.delay_s, self._transport)
        summary = CrawlSummary(str(manifest.path), resumed=bool(replay))
        try:
            if not replay:
                manifest.write(
                    {
                        "run": run,
                        "event": "start",
                        "fetched_at": _now(),
                        "start_urls": list(start_urls),
                    }
                )
            for start in start_urls:
                _Site(self, client, manifest, run, summary, known, replay).crawl(start)
            summary.requests = client.requests
            manifest.write(
                {"run": run, "event": "end", "fetched_at": _now(), "pages": summary.pages}
            )
        finally:
            client.close()
            manifest.close()
        log.info(
            "crawled %s: %d pages, %d requests, %s",
            ", ".join(start_urls),
            summary.pages,
            summary.requests,
            summary.by_event,
        )
        return summary

    @staticmethod
    def _resume(
        history: list[CrawlRecord], starts: list[str]
    ) -> tuple[str, dict[str, CrawlRecord]]:
        # mapped Airflow tasks crawl one site each into one inbox: their runs interleave
        runs = [r for r in history if r.get("event") == "start" and r.get("start_urls") == starts]
        if runs:
            run = runs[-1]["run"]
            mine = [r for r in history if r.get("run") == run]
            if not any(r.get("event") == "end" for r in mine):
                log.info(
                    "resuming crawl %s (%d URLs visited before it stopped)", run, len(mine) - 1
                )
                return run, {
                    r["url"]: r
                    for r in mine
                    if r.get("url") and r.get("event") != "start" and r.get("reason") != "page_cap"
                }
        return uuid.uuid4().hex[:12], {}

    def body(self, sha256: str) -> bytes | None:
        path = self.objects / sha256[:2] / sha256
        try:
            return path.read_bytes()
        except OSError:
            return None

    def place(self, sha256: str, suffix: str, year: int | None) -> str:
        """Put a stored object into the inbox as ``[<year>/]web/<sha256>.<suffix>``
        (atomically, once) and return that path relative to the inbox."""
        rel = Path(str(year)) / "web" if year else Path("web")
        dest = self.inbox / rel / f"{sha256}.{suffix}"
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            source = self.objects / sha256[:2] / sha256
            try:
                os.link(source, dest)
            except FileExistsError:
                pass
            except OSError:  # no hard links here: a renamed copy is just as atomic
                fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".crawl-")
                with os.fdopen(fd, "wb") as out:
                    out.write(source.read_bytes())
                os.replace(tmp, dest)
        return (rel / dest.name).as_posix()


def _last_good(history: list[CrawlRecord]) -> dict[str, CrawlRecord]:
    """Per URL, the last answer with a body: what a conditional GET compares against."""
    known: dict[str, CrawlRecord] = {}
    for record in history:
        if record.get("event") in ("fetched", "unchanged") and record.get("sha256"):
            known[record["url"]] = record
    return known


class _Site:
    """One start URL's crawl: the frontier, the page cap, the manifest records."""

    def __init__(
        self,
        crawler: Crawler,
        client: CrawlClient,
        manifest: ManifestWriter,
        run: str,
        summary: CrawlSummary,
        known: dict[str, CrawlRecord],
        replay: dict[str, CrawlRecord],
    ) -> None:
        self.crawler, self.client, self.manifest, self.run = crawler, client, manifest, run
        self.summary, self.known, self.replay = summary, known, replay
        self.frontier: list[_Target] = []
        self.seen: set[str] = set()
        self.seq = 0
        self.pages = 0

    def crawl(self, start: str) -> None:
        self.scope = Scope.of(start)
        self._push(start, "list", 0, None, None, "page")
        cap = self.crawler.settings.max_pages
        while self.frontier:
            if self.pages >= cap:
                left = len(self.frontier)
                log.warning(
                    "crawl of %s stopped at the cap of %d pages (%d URLs left)", start, cap, left
                )
                self._record(
                    {
                        "event": "skipped",
                        "url": start,
                        "reason": "page_cap",
                        "message": f"{left} URLs left at the cap of {cap} pages",
                    }
                )
                break
            self._visit(heapq.heappop(self.frontier))

    def _push(
        self,
        url: str,
        role: Role,
        depth: int,
        referrer: str | None,
        anchor: str | None,
        kind: str,
        cover: CrawlRecord | None = None,
    ) -> None:
        if url in self.seen:
            return
        self.seen.add(url)
        self.seq += 1
        heapq.heappush(
            self.frontier, _Target(_RANK[kind], depth, self.seq, url, role, referrer, anchor, cover)
        )

    def _record(self, record: CrawlRecord) -> None:
        record = {"run": self.run, **record}
        event = record.get("event", "")
        self.summary.by_event[event] = self.summary.by_event.get(event, 0) + 1
        if record.get("inbox_path"):
            self.summary.inbox_files.append(str(record["inbox_path"]))
        self.manifest.write(record)

    def _visit(self, target: _Target) -> None:
        done = self.replay.get(target.url)
        if done is not None and not done.get("role"):  # noted (--since, host), not visited
            return
        self.pages += 1
        self.summary.pages += 1
        if done is not None:  # visited by the killed crawl this one resumes
            sha = done.get("sha256")
            body = self.crawler.body(sha) if sha else None
            replayed: CrawlRecord = {**done}
            self._follow(target, replayed, body)
            if replayed.get("inbox_path"):
                self.summary.inbox_files.append(str(replayed["inbox_path"]))
            return
        record, body = self._fetch(target)
        self._follow(target, record, body)
        self._record(record)  # after the body is in the store and the inbox

    def _fetch(self, target: _Target) -> tuple[CrawlRecord, bytes | None]:
        before = self.known.get(target.url)
        old_sha = before.get("sha256") if before else None
        old_body = self.crawler.body(old_sha) if old_sha else None
        conditional: dict[str, str] = {}
        if before is not None and old_body is not None:
            if before.get("etag"):
                conditional["If-None-Match"] = str(before["etag"])
            if before.get("last_modified"):
                conditional["If-Modified-Since"] = str(before["last_modified"])
        may_go = self.scope.in_column if target.role == "list" else self.scope.same_site
        answer = self.client.get(target.url, conditional, may_go)
        record: CrawlRecord = {
            "event": "fetched",
            "role": target.role,
            "url": target.url,
            "final_url": answer.final_url,
            "fetched_at": _now(),
            "status": answer.status,
            "content_type": answer.content_type or None,
            "charset": answer.charset,
            "referrer": target.referrer,
            "anchor": target.anchor,
            "attempts": answer.attempts,
            "etag": answer.headers.get("etag"),
            "last_modified": answer.headers.get("last-modified"),
        }
        if answer.reason is not None:
            refused = answer.reason in (ROBOTS_DISALLOWED, OUT_OF_SCOPE)
            record.update(
                {
                    "event": "refused" if refused else "failed",
                    "reason": answer.reason,
                    "message": answer.message,
                }
            )
            return record, None
        if answer.status == 304 and before is not None and old_body is not None:
            record.update(
                {
                    "event": "unchanged",
                    "sha256": before["sha256"],
                    "content_type": before.get("content_type"),
                    "charset": before.get("charset"),
                }
            )
            return record, old_body
        if answer.body is None:  # 204, or a 304 to a request that was not conditional
            record.update(
                {
                    "event": "failed",
                    "reason": FETCH_FAILED,
                    "message": f"HTTP {answer.status} without a body",
                }
            )
            return record, None
        self.seen.add(answer.final_url)  # a redirect's target is not fetched a second time
        record["sha256"] = store_bytes(answer.body, self.crawler.objects)[0]
        return record, answer.body

    def _follow(self, target: _Target, record: CrawlRecord, body: bytes | None) -> None:
        """Put a report in the inbox, queue the links of a page, and complete ``record``
        with what the page says (title, breadcrumb, cover, inbox path)."""
        if body is None or not record.get("sha256"):
            return
        info = PageInfo(None, None)
        html_page = _is_html(record.get("content_type"), body)
        if html_page and len(body) > Limits.from_env().max_text_bytes:
            # the decoder refuses such a page too; parsing it would only cost time and memory
            record["message"] = "page over the text cap (XXGK_MAX_TEXT_BYTES): links not read"
        elif html_page:
            text, encoding = _decode(body, record.get("charset"))
            info = parse_page(
                text, str(record.get("final_url") or target.url), self.crawler.settings.max_pages
            )
            record.update(
                {
                    "charset": encoding or record.get("charset"),
                    "title": info.title,
                    "breadcrumb": info.breadcrumb,
                }
            )
        if target.role == "report" and info.is_cover:
            record["cover"] = True
            page: CrawlRecord = {
                "url": target.url,
                "title": info.title or target.anchor,
                "breadcrumb": info.breadcrumb,
            }
            for link in self._links(target, info):
                if link.kind == "attachment":
                    self._push(
                        link.url,
                        "attachment",
                        target.depth + 1,
                        target.url,
                        link.text,
                        "attachment",
                        page,
                    )
            return
        if target.role != "list":
            self._place(target, record, body)
        for link in self._links(target, info):
            role: Role = (
                "attachment"
                if link.kind == "attachment"
                else "report"
                if link.kind == "report"
                else "list"
            )
            self._push(link.url, role, target.depth + 1, target.url, link.text, link.kind)

    def _place(self, target: _Target, record: CrawlRecord, body: bytes) -> None:
        page = target.cover or {}
        title = record.get("title") or page.get("title")
        year = year_of(target.anchor) or year_of(title) or year_of(page.get("title"))
        suffix = _suffix(record.get("content_type"), target.url)
        path = self.crawler.place(str(record["sha256"]), suffix, year)
        record.update(
            {
                "inbox_path": path,
                "title": title,
                "breadcrumb": record.get("breadcrumb") or page.get("breadcrumb"),
                "page_url": page.get("url"),
            }
        )

    def _links(self, target: _Target, info: PageInfo) -> Iterator[Link]:
        """The links of a page the crawl follows; reports it may not follow (another host,
        before ``--since``) are recorded once, with the reason."""
        for link in info.links:
            wanted = link.kind == "attachment" or (target.role == "list" and link.kind == "report")
            if wanted and not self.scope.same_site(link.url):
                self._note(link, target, "refused", OUT_OF_SCOPE, "on another host")
            elif wanted and self._too_old(link):
                self._note(
                    link,
                    target,
                    "skipped",
                    "before_since",
                    f"names {year_of(link.text)}, before {self.crawler.settings.since}",
                )
            elif wanted or (target.role == "list" and self.scope.in_column(link.url)):
                yield link

    def _too_old(self, link: Link) -> bool:
        since, year = self.crawler.settings.since, year_of(link.text)
        return since is not None and year is not None and year < since

    def _note(self, link: Link, target: _Target, event: Event, reason: str, message: str) -> None:
        if link.url in self.seen:
            return
        self.seen.add(link.url)
        if link.url not in self.replay:  # recorded already by the crawl being resumed
            self._record(
                {
                    "event": event,
                    "url": link.url,
                    "referrer": target.url,
                    "anchor": link.text,
                    "reason": reason,
                    "message": message,
                }
            )


def crawl(
    start_urls: Sequence[str],
    inbox: Path,
    settings: CrawlSettings | None = None,
    transport: httpx.BaseTransport | None = None,
) -> CrawlSummary:
    """Crawl ``start_urls`` into ``inbox`` (see the module docstring)."""
    return Crawler(inbox, settings, transport).crawl(start_urls)
