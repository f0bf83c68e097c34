"""HTTP for the crawler: one polite client per crawl (httpx), robots.txt, conditional GET.

Redirects are followed by hand, one hop at a time, so every hop is checked against the
crawl's scope and robots.txt before it is requested. Retries with exponential backoff on
timeouts, connection errors, 429 and 5xx (``Retry-After`` honoured up to the cap); a
minimum interval between two requests to one host (the larger of ``--delay`` and the
site's ``Crawl-delay``); the response size and whole-response deadline of ``FetchSettings``,
the deadline enforced while waiting (``xxgk.land.deadline``): a server dripping its headers
or body is cut when the time is up, and not asked again (it would only hold the crawl longer).
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from xxgk.core.quarantine import FETCH_FAILED, FETCH_TIMEOUT, HTTP_ERROR, TOO_LARGE
from xxgk.land.deadline import BoundedClient, Deadline
from xxgk.land.fetch import FetchFailure, FetchSettings, HostRateLimiter, ascii_url, past_deadline

log = logging.getLogger(__name__)
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
ROBOTS_DISALLOWED = "robots_disallowed"
OUT_OF_SCOPE = "out_of_scope"
_ROBOTS_MAX_BYTES = 500 * 1024


def resolved_path(path: str) -> str:
    """A URL path as the most lenient server resolves it: percent-decoded (again while that
    changes it: some servers decode twice), ``\\`` read as ``/`` (IIS), ``;params`` dropped
    from each segment (Tomcat reads ``..;`` as ``..``), then the dot segments removed
    (``/col/nj/%2e%2e/%2E%2E/etc`` → ``/etc``), never above the root. A trailing ``/`` is
    kept, so a folder stays a folder."""
    decoded = path
    for _ in range(3):
        once = unquote(decoded, errors="replace")
        if once == decoded:
            break
        decoded = once
    decoded = decoded.replace("\\", "/")
    out: list[str] = []
    segments = decoded.split("/")
    for segment in segments:
        name = segment.split(";", 1)[0]
        if name == "..":
            if out:
                out.pop()
        elif name not in (".", ""):
            out.append(name)
    folder = segments[-1].split(";", 1)[0] in ("", ".", "..") and bool(out)
    return "/" + "/".join(out) + ("/" if folder else "")


@dataclass(frozen=True)
class Scope:
    """Where a crawl may go: the start URL's scheme and host, and for column pages its
    folder (``http://h/col/nj/index.html`` → ``/col/nj/``). Paths are compared as the
    server resolves them (:func:`resolved_path`), so an encoded ``..`` cannot leave the
    folder."""

    origin: str  # scheme://host[:port]
    prefix: str  # path folder, ending in '/'

    @classmethod
    def of(cls, start_url: str) -> Scope:
        parts = urlsplit(ascii_url(start_url)[0])
        folder = resolved_path(parts.path).rsplit("/", 1)[0] + "/"
        return cls(f"{parts.scheme}://{parts.netloc}", folder)

    def same_site(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}".lower() == self.origin.lower()

    def in_column(self, url: str) -> bool:
        return self.same_site(url) and resolved_path(urlsplit(url).path).startswith(self.prefix)


@dataclass(frozen=True)
class Answer:
    """What one URL gave after redirects and retries."""

    url: str
    final_url: str
    status: int | None  # the last HTTP status (None: nothing answered)
    headers: Mapping[str, str]
    body: bytes | None  # None for 304, failures and refusals
    attempts: int
    reason: str | None = None  # quarantine reason code, ROBOTS_DISALLOWED or OUT_OF_SCOPE
    message: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class CrawlClient:
    """GETs with politeness for one crawl; ``answered`` counts responses per status."""

    def __init__(
        self,
        settings: FetchSettings,
        delay_s: float,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings, self.delay_s, self.sleep = settings, delay_s, sleep
        self._client = BoundedClient(
            timeout=httpx.Timeout(settings.timeout_s),
            follow_redirects=False,
            trust_env=settings.use_env_proxy,
            transport=transport,
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": "identity",
                "Accept": "text/html,application/pdf,application/msword,*/*;q=0.8",
            },
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._limiters: dict[str, HostRateLimiter] = {}
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        """The site's robots.txt rules (fetched once per origin). A missing robots.txt
        (4xx) allows everything; 401/403 or no answer at all (5xx, timeouts) forbid
        everything, as ``urllib.robotparser`` and the big crawlers do."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin in self._robots:
            return self._robots[origin]
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        answer = self._get_with_retries(origin + "/robots.txt", {})
        if answer.status in (401, 403) or answer.status is None or answer.status >= 500:
            rules.parse(["User-agent: *", "Disallow: /"])
        elif answer.status == 200 and answer.body is not None:
            # as Google does, only the first 500 KiB: every URL is matched against every rule
            text = answer.body[:_ROBOTS_MAX_BYTES].decode("utf-8", "replace")
            rules.parse(text.splitlines())
        else:
            rules.parse([])
        self._robots[origin] = rules
        crawl_delay = rules.crawl_delay(self.settings.user_agent)
        if crawl_delay:  # the site asks for more time between requests than --delay
            limiter = self._limiter(origin)
            limiter.interval = max(limiter.interval, float(crawl_delay))
        return rules

    def allowed(self, url: str) -> bool:
        return self.robots(url).can_fetch(self.settings.user_agent, url)

    def get(
        self, url: str, conditional: Mapping[str, str], may_go: Callable[[str], bool]
    ) -> Answer:
        """GET ``url`` following at most ``max_redirects`` redirects, each to a URL
        ``may_go`` accepts and robots.txt allows (never raises for the URL)."""
        try:
            current = ascii_url(url)[0]
        except (ValueError, UnicodeError) as exc:
            return Answer(url, url, None, {}, None, 0, FETCH_FAILED, f"bad URL: {exc}")
        attempts = 0
        for _ in range(self.settings.max_redirects + 1):
            if not self.allowed(current):
                return Answer(
                    url,
                    current,
                    None,
                    {},
                    None,
                    attempts,
                    ROBOTS_DISALLOWED,
                    "robots.txt disallows it",
                )
            answer = self._get_with_retries(current, conditional)
            attempts += answer.attempts
            location = answer.headers.get("location")
            if answer.status not in _REDIRECT_STATUS or not location:
                return Answer(
                    url,
                    current,
                    answer.status,
                    answer.headers,
                    answer.body,
                    attempts,
                    answer.reason,
                    answer.message,
                )
            target = urljoin(current, location)
            if urlsplit(target).scheme not in ("http", "https") or not may_go(target):
                return Answer(
                    url,
                    target,
                    answer.status,
                    answer.headers,
                    None,
                    attempts,
                    OUT_OF_SCOPE,
                    f"redirect to {target} leaves the crawl's scope",
                )
            current = ascii_url(target)[0]
        return Answer(
            url,
            current,
            None,
            {},
            None,
            attempts,
            FETCH_FAILED,
            f"more than {self.settings.max_redirects} redirects",
        )

    def _limiter(self, url: str) -> HostRateLimiter:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in self._limiters:
            self._limiters[origin] = HostRateLimiter(self.delay_s, sleep=self.sleep)
        return self._limiters[origin]

    def _get_with_retries(self, url: str, conditional: Mapping[str, str]) -> Answer:
        attempt = 0
        while True:
            attempt += 1
            self._limiter(url).wait(urlsplit(url).netloc)
            try:
                status, headers, body = self._attempt(url, conditional)
            except FetchFailure as failure:
                if not failure.retry or attempt > self.settings.retries:
                    log.warning(
                        "crawl %s failed after %d attempt(s): %s", url, attempt, failure.message
                    )
                    return Answer(
                        url, url, failure.status, {}, None, attempt, failure.reason, failure.message
                    )
                self.sleep(self._backoff(attempt, failure.wait))
                continue
            return Answer(url, url, status, headers, body, attempt)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        cap = self.settings.max_backoff_s
        if retry_after is not None:
            return max(0.0, min(retry_after, cap))
        return float(min(self.settings.backoff_s * 2 ** (attempt - 1), cap))

    def _attempt(
        self, url: str, conditional: Mapping[str, str]
    ) -> tuple[int, dict[str, str], bytes | None]:
        self.requests += 1
        with Deadline(self.settings.deadline_s) as deadline:
            try:
                return self._exchange(url, conditional, deadline)
            except httpx.TimeoutException as exc:
                if deadline.expired:
                    raise past_deadline(self.settings.deadline_s) from exc
                raise FetchFailure(
                    FETCH_TIMEOUT, f"no answer within {self.settings.timeout_s:g} s", retry=True
                ) from exc
            except httpx.HTTPError as exc:  # refused, reset, protocol errors
                raise FetchFailure(
                    FETCH_FAILED, f"{type(exc).__name__}: {exc}", retry=True
                ) from exc

    def _exchange(
        self, url: str, conditional: Mapping[str, str], deadline: Deadline
    ) -> tuple[int, dict[str, str], bytes | None]:
        with self._client.stream("GET", url, headers=dict(conditional)) as response:
            status = response.status_code
            headers = {k.lower(): v for k, v in response.headers.items()}
            if status in _RETRY_STATUS:
                raise FetchFailure(
                    HTTP_ERROR,
                    f"HTTP {status}",
                    status,
                    retry=True,
                    wait=_retry_after(headers.get("retry-after")),
                )
            if status >= 400:
                raise FetchFailure(HTTP_ERROR, f"HTTP {status} {response.reason_phrase}", status)
            if status != 200:  # 304, redirects: no body wanted
                return status, headers, None
            return status, headers, self._read(response, headers, deadline)

    def _read(
        self, response: httpx.Response, headers: Mapping[str, str], deadline: Deadline
    ) -> bytes:
        cap = self.settings.max_bytes
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > cap:
            raise FetchFailure(TOO_LARGE, f"Content-Length {length} exceeds the cap of {cap} bytes")
        chunks: list[bytes] = []
        total = 0
        # no chunk size: each piece as it arrives (a size would wait until it is filled)
        for chunk in response.iter_raw():
            total += len(chunk)
            if total > cap:
                raise FetchFailure(TOO_LARGE, f"response exceeds the cap of {cap} bytes")
            if deadline.expired:  # a transport of the caller's (tests) is not bounded inside
                raise past_deadline(self.settings.deadline_s)
            chunks.append(chunk)
        return b"".join(chunks)
