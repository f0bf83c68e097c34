"""Landing from the web: a URL list fetched over HTTP(S) into the raw store.

Standard library only (``urllib``): per-operation and whole-response timeouts, retries with
exponential backoff on timeouts, refused connections, 429 and 5xx (``Retry-After`` honoured
up to the backoff cap), a minimum interval between two requests to one host, at most
``max_redirects`` redirects and only to http/https, a response size cap checked on
``Content-Length`` and while reading, and ``Accept-Encoding: identity`` (no gzip bombs). The
whole-response deadline holds while waiting (``xxgk.land.deadline``): a server dripping its
headers or body is cut when the time is up, and not asked again.

The response bytes are stored as they came (content-addressed); the URL, the fetch time, the
status and the header charset go into the ``LandedFile``. A URL that cannot be fetched (404,
timeout, refused, redirect loop, too large, not http/https) lands as a quarantine stub, so
it reaches the warehouse as a quarantined report with its reason.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from email.message import Message
from http.client import HTTPException, HTTPMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from xxgk.core.charset import decode_text
from xxgk.core.limits import DEFAULT_MAX_BYTES
from xxgk.core.quarantine import FETCH_FAILED, FETCH_TIMEOUT, HTTP_ERROR, TOO_LARGE
from xxgk.land.deadline import Deadline, bounded_handlers
from xxgk.land.inbox import LandedFile, land_stub, landed_record, safe_name, store_bytes

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 20.0  # one socket operation (connect, one read)
DEFAULT_DEADLINE_S = 120.0  # the whole response
DEFAULT_RETRIES = 3  # after the first attempt
DEFAULT_BACKOFF_S = 1.0  # first wait; doubles per retry
DEFAULT_MAX_BACKOFF_S = 30.0
DEFAULT_HOST_INTERVAL_S = 1.0  # between two requests to one host
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_WORKERS = 4  # hosts fetched in parallel (one host is still rate limited)
DEFAULT_USER_AGENT = "xxgk-fetch/0.1 (government annual report archive)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_CHUNK = 1 << 16
_ENV_PREFIX = "XXGK_FETCH_"


@dataclass(frozen=True)
class FetchSettings:
    """HTTP fetching knobs; ``XXGK_FETCH_<NAME>`` environment variables override them.

    Raises:
        ValueError: a negative or zero value where a positive one is needed.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    deadline_s: float = DEFAULT_DEADLINE_S
    retries: int = DEFAULT_RETRIES
    backoff_s: float = DEFAULT_BACKOFF_S
    max_backoff_s: float = DEFAULT_MAX_BACKOFF_S
    host_interval_s: float = DEFAULT_HOST_INTERVAL_S
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int = DEFAULT_WORKERS
    user_agent: str = DEFAULT_USER_AGENT
    use_env_proxy: bool = True

    def __post_init__(self) -> None:
        for name in ("timeout_s", "deadline_s", "max_bytes", "workers"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("retries", "backoff_s", "max_backoff_s", "host_interval_s", "max_redirects"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FetchSettings:
        """Defaults overridden by ``XXGK_FETCH_TIMEOUT_S=5`` and the like.

        Raises:
            ValueError: a variable that does not parse.
        """
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(_ENV_PREFIX + f.name.upper())
            if raw is None or not raw.strip():
                continue
            default = f.default
            if isinstance(default, bool):
                kwargs[f.name] = raw.strip().lower() in ("1", "true", "yes")
            elif isinstance(default, int | float):
                kwargs[f.name] = type(default)(raw)
            else:
                kwargs[f.name] = raw
        return cls(**kwargs)


@dataclass(frozen=True)
class UrlEntry:
    url: str
    agency: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    fetched_at: str
    status: int | None = None
    body: bytes | None = None
    charset: str | None = None
    reason: str | None = None  # a quarantine reason code when there is no body
    message: str = ""
    attempts: int = 1


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else None


def read_url_list(csv_path: Path) -> list[UrlEntry]:
    """The URL list: a CSV with a ``url`` column and optional ``agency`` and ``year``.

    UTF-8 (with or without BOM) and GBK files (as Excel saves them) are both read; blank
    rows and rows starting with ``#`` are skipped.

    Raises:
        ValueError: the CSV has no ``url`` column.
    """
    text = decode_text(csv_path.read_bytes()).text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    if "url" not in columns:
        raise ValueError(f"{csv_path}: the URL list needs a 'url' column")
    entries = []
    for row in reader:
        url = (row.get(columns["url"]) or "").strip()
        if not url or url.startswith("#"):
            continue
        agency = (row.get(columns.get("agency", ""), "") or "").strip() or None
        entries.append(UrlEntry(url, agency, _year(row.get(columns.get("year", "")))))
    return entries


class HostRateLimiter:
    """At least ``interval`` seconds between the starts of two requests to one host."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        if start > now:
            self.sleep(start - now)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http/https URLs only."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(
                newurl, code, f"redirect to a non-HTTP URL {newurl}", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _redirects(limit: int) -> _Redirects:
    class _Limited(_Redirects):
        max_redirections = limit
        max_repeats = min(limit, 4)

    return _Limited()


def _opener(settings: FetchSettings) -> urllib.request.OpenerDirector:
    """HTTP and HTTPS only: no file://, ftp:// or data: handlers."""
    opener = urllib.request.OpenerDirector()
    proxies: dict[str, str] | None = None if settings.use_env_proxy else {}
    for handler in (
        urllib.request.ProxyHandler(proxies),
        *bounded_handlers(),
        _redirects(settings.max_redirects),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


class FetchFailure(Exception):
    """A fetch that did not give a body: its quarantine reason, and whether to retry."""

    def __init__(
        self,
        reason: str,
        message: str,
        status: int | None = None,
        retry: bool = False,
        wait: float | None = None,
    ) -> None:
        super().__init__(message)
        self.reason, self.message, self.status = reason, message, status
        self.retry, self.wait = retry, wait


def past_deadline(seconds: float) -> FetchFailure:
    """The failure of a response cut at its deadline: not retried, since a server that
    held one request that long would hold the next as long."""
    return FetchFailure(FETCH_TIMEOUT, f"response not complete within {seconds:g} s")


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _retry_after(headers: Message | None) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class Fetcher:
    """Fetches URLs with retries, backoff and a per-host rate limit (thread-safe)."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        limiter: HostRateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings.from_env()
        self.limiter = limiter or HostRateLimiter(self.settings.host_interval_s)
        self.sleep = sleep
        self._opener = _opener(self.settings)

    def fetch(self, url: str) -> FetchResult:
        """One URL: its body, or the reason there is none (never raises for the URL)."""
        try:
            request_url, host = ascii_url(url)
        except (ValueError, UnicodeError) as exc:
            return FetchResult(
                url,
                url,
                _now(),
                reason=FETCH_FAILED,
                message=f"not an http(s) URL: {exc}",
                attempts=0,
            )
        attempt = 0
        while True:
            attempt += 1
            self.limiter.wait(host)
            try:
                status, final, body, charset = self._attempt(request_url)
            except FetchFailure as failure:
                if not failure.retry or attempt > self.settings.retries:
                    log.warning(
                        "fetch %s failed after %d attempt(s): %s", url, attempt, failure.message
                    )
                    return FetchResult(
                        url,
                        url,
                        _now(),
                        failure.status,
                        None,
                        None,
                        failure.reason,
                        failure.message,
                        attempt,
                    )
                self.sleep(self._backoff(attempt, failure.wait))
                continue
            return FetchResult(url, final, _now(), status, body, charset, attempts=attempt)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        cap = self.settings.max_backoff_s
        if retry_after is not None:
            return max(0.0, min(retry_after, cap))
        return float(min(self.settings.backoff_s * 2 ** (attempt - 1), cap))

    def _attempt(self, url: str) -> tuple[int, str, bytes, str | None]:
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept-Encoding": "identity",
                "Accept": "text/html,application/pdf,application/msword,*/*;q=0.8",
            },
        )
        with Deadline(self.settings.deadline_s) as deadline:
            try:
                found = self._exchange(request, deadline)
            except FetchFailure:
                if deadline.expired:
                    raise past_deadline(self.settings.deadline_s) from None
                raise
            if deadline.fired:  # a body cut by the watchdog reads as a short, complete one
                raise past_deadline(self.settings.deadline_s)
            return found

    def _exchange(
        self, request: urllib.request.Request, deadline: Deadline
    ) -> tuple[int, str, bytes, str | None]:
        try:
            with self._opener.open(request, timeout=self.settings.timeout_s) as response:
                self._check_length(response.headers)
                body = self._read(response, deadline)
                charset = response.headers.get_content_charset()
                return int(response.status), str(response.geturl()), body, charset
        except urllib.error.HTTPError as exc:
            exc.close()
            raise _http_failure(exc) from exc
        except FetchFailure:
            raise
        except TimeoutError as exc:
            raise FetchFailure(
                FETCH_TIMEOUT, f"no answer within {self.settings.timeout_s:g} s", retry=True
            ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise FetchFailure(
                    FETCH_TIMEOUT, f"no answer within {self.settings.timeout_s:g} s", retry=True
                ) from exc
            raise FetchFailure(FETCH_FAILED, f"{exc.reason}", retry=True) from exc
        except (OSError, ValueError, HTTPException) as exc:  # refused, reset, bad status
            raise FetchFailure(FETCH_FAILED, f"{type(exc).__name__}: {exc}", retry=True) from exc

    def _check_length(self, headers: Message) -> None:
        length = (headers.get("Content-Length") or "").strip()
        if length.isdigit() and int(length) > self.settings.max_bytes:
            raise FetchFailure(
                TOO_LARGE,
                f"Content-Length {length} exceeds the cap of {self.settings.max_bytes} bytes",
            )

    def _read(self, response: Any, deadline: Deadline) -> bytes:
        """The body, read as it arrives so the deadline and the size cap hold."""
        chunks: list[bytes] = []
        total = 0
        read = getattr(response, "read1", response.read)
        while True:
            if deadline.expired:
                raise past_deadline(self.settings.deadline_s)
            chunk = read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > self.settings.max_bytes:
                raise FetchFailure(
                    TOO_LARGE, f"response exceeds the cap of {self.settings.max_bytes} bytes"
                )
            chunks.append(chunk)


def ascii_url(url: str) -> tuple[str, str]:
    """The URL as sent (IDNA host, percent-encoded path and query: government sites often
    publish Chinese paths) and its host.

    Raises:
        ValueError: not an absolute http(s) URL, or a malformed one.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("not an absolute http(s) URL")
    host = parts.hostname.encode("idna").decode("ascii").lower()
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((parts.scheme.lower(), netloc, path, query, "")), host


def _http_failure(exc: urllib.error.HTTPError) -> FetchFailure:
    if 300 <= exc.code < 400:
        return FetchFailure(
            FETCH_FAILED, f"redirect failed: HTTP {exc.code} {exc.reason}", exc.code
        )
    return FetchFailure(
        HTTP_ERROR,
        f"HTTP {exc.code} {exc.reason}",
        exc.code,
        retry=exc.code in _RETRY_STATUS,
        wait=_retry_after(exc.headers),
    )


def file_name_of(url: str) -> str:
    """The last path segment of ``url`` (percent-decoded, made safe), or ``index.html``."""
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    segment = segment.replace("\\", "_").strip()
    return safe_name(segment) if segment not in ("", ".", "..") else "index.html"


def _land_result(entry: UrlEntry, result: FetchResult, raw_store: Path) -> LandedFile:
    source = safe_name(entry.url)
    name = file_name_of(result.final_url)
    extra: dict[str, Any] = {
        "url": source,
        "fetched_at": result.fetched_at,
        "http_status": result.status,
        "charset_hint": result.charset,
        "agency_hint": entry.agency,
    }
    if result.body is None:
        return land_stub(
            result.reason or FETCH_FAILED,
            result.message,
            source,
            name,
            raw_store,
            entry.year,
            **extra,
        )
    digest, dest = store_bytes(result.body, raw_store)
    return landed_record(digest, dest, source, name, entry.year, **extra)


def land_urls(
    csv_path: Path,
    raw_store: Path,
    settings: FetchSettings | None = None,
    fetcher: Fetcher | None = None,
) -> list[LandedFile]:
    """Fetch every URL of ``csv_path`` into ``raw_store``; one ``LandedFile`` per URL row.

    A URL that yields no body lands as a quarantine stub (``http_error``, ``fetch_timeout``,
    ``fetch_failed`` or ``too_large``). ``source_path`` is the URL; ``inbox_year`` the list's
    year hint.

    Raises:
        ValueError: the URL list has no ``url`` column.
    """
    entries = read_url_list(csv_path)
    fetcher = fetcher or Fetcher(settings)
    with ThreadPoolExecutor(max_workers=fetcher.settings.workers) as pool:
        results = list(pool.map(fetcher.fetch, [e.url for e in entries]))
    landed = [_land_result(e, r, raw_store) for e, r in zip(entries, results, strict=True)]
    failed = sum(1 for f in landed if f.quarantine_reason)
    log.info(
        "fetched %d URLs from %s into %s (%d failed, landed as stubs)",
        len(landed),
        csv_path,
        raw_store,
        failed,
    )
    return landed
