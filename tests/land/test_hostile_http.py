"""The crawler and URL landing against a hostile server on 127.0.0.1: dripped headers and
bodies are cut at the deadline and not asked again, floods at the size cap, pager bombs give
no more pages than the cap, an unclosed pager is read in one pass, and percent-encoded
``..`` never leads out of the column. Outcomes only: the time and memory these take are
measured by ``bench/hostile_http.py``; the timeout marks only turn a regression's hang
into a failure."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.hostile_site import (
    COLUMN,
    TRAVERSALS,
    Hostile,
    list_page,
    nested_page,
    pager_bomb,
    serve,
    traversal_page,
    unclosed_pager,
)
from xxgk.land.crawl import CrawlSettings, crawl, read_manifest
from xxgk.land.crawl_html import parse_page, script_pages
from xxgk.land.crawl_http import CrawlClient, Scope, resolved_path
from xxgk.land.fetch import Fetcher, FetchSettings

pytestmark = pytest.mark.timeout(90)
DEADLINE_S = "2"
REPORT = "2020年政府信息公开工作年度报告"


@pytest.fixture(autouse=True)
def fast_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 s deadline and a 1 s per-operation timeout, which a drip (a byte every 0.1 s)
    never trips: only the deadline can end it."""
    for name, value in {
        "DEADLINE_S": DEADLINE_S,
        "TIMEOUT_S": "1",
        "RETRIES": "2",
        "BACKOFF_S": "0.01",
        "HOST_INTERVAL_S": "0",
        "USE_ENV_PROXY": "0",
        "MAX_BYTES": str(4 << 20),
    }.items():
        monkeypatch.setenv(f"XXGK_FETCH_{name}", value)


@pytest.fixture()
def site() -> Iterator[Hostile]:
    with serve(Hostile()) as running:
        yield running


def _crawl(site: Hostile, inbox: Path, page: bytes, max_pages: int = 50) -> list[dict[str, str]]:
    site.pages[COLUMN + "index.html"] = page
    crawl([site.base + COLUMN + "index.html"], inbox, CrawlSettings(max_pages, delay_s=0))
    return [dict(r) for r in read_manifest(inbox)]  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["drip-headers.html", "drip-body.html"])
def test_the_crawler_cuts_a_drip_at_the_deadline_and_does_not_ask_again(
    site: Hostile, path: str
) -> None:
    client = CrawlClient(FetchSettings.from_env(), delay_s=0)
    url = site.base + COLUMN + path
    try:
        answer = client.get(url, {}, Scope.of(url).in_column)
    finally:
        client.close()
    assert (answer.reason, answer.body, answer.attempts) == ("fetch_timeout", None, 1)
    assert answer.message == f"response not complete within {DEADLINE_S} s"
    assert site.hits[COLUMN + path] == 1


@pytest.mark.parametrize("path", ["drip-headers.html", "drip-body.html"])
def test_url_landing_cuts_a_drip_at_the_deadline_and_does_not_ask_again(
    site: Hostile, path: str
) -> None:
    result = Fetcher().fetch(site.base + COLUMN + path)
    assert (result.reason, result.body, result.attempts) == ("fetch_timeout", None, 1)
    assert result.message == f"response not complete within {DEADLINE_S} s"
    assert site.hits[COLUMN + path] == 1


def test_a_crawl_lands_the_good_report_and_records_the_drips_and_the_flood(
    site: Hostile, tmp_path: Path
) -> None:
    site.pages["/art/good.html"] = list_page("<p>全年主动公开政府信息142条。</p>", REPORT)
    links = "".join(
        f"<li><a href='{href}'>{REPORT}</a></li>"
        for href in ("/art/drip-headers.html", "/art/drip-body.html", "/art/flood.html")
    )
    records = _crawl(
        site,
        tmp_path,
        list_page(
            f"<ul>{links}<li><a href='/art/good.html'>2021年政府信息公开工作年度报告</a></li></ul>"
        ),
    )
    by_url = {r["url"].removeprefix(site.base): r for r in records if r.get("url")}
    assert by_url["/art/drip-headers.html"]["reason"] == "fetch_timeout"
    assert by_url["/art/drip-body.html"]["reason"] == "fetch_timeout"
    assert "not complete within 2 s" in by_url["/art/drip-body.html"]["message"]
    assert by_url["/art/flood.html"]["reason"] == "too_large"
    assert by_url["/art/good.html"]["event"] == "fetched"
    landed = [r["inbox_path"] for r in records if r.get("inbox_path")]
    assert len(landed) == 1 and (tmp_path / landed[0]).read_bytes() == site.pages["/art/good.html"]


def test_url_landing_stops_a_flood_at_the_size_cap(site: Hostile) -> None:
    result = Fetcher().fetch(site.base + "/flood.html")
    assert (result.reason, result.body) == ("too_large", None)


def test_a_pager_bomb_gives_no_more_pages_than_the_cap(site: Hostile, tmp_path: Path) -> None:
    bomb = pager_bomb()  # 57 KB of createPageHTML(10000, …): 10 million pages as written
    assert len(script_pages(bomb.decode(), "http://h/col/nj/index.html", 20)) == 20
    records = _crawl(site, tmp_path, bomb, max_pages=20)
    visited = [r for r in records if r.get("role") == "list"]
    assert len(visited) == 20 and sum(site.hits.values()) <= 21  # robots.txt + the cap
    assert [r["reason"] for r in records if r.get("event") == "skipped"] == ["page_cap"]


def test_an_unclosed_pager_on_a_large_page_is_read_once_and_gives_nothing(
    site: Hostile, tmp_path: Path
) -> None:
    page = unclosed_pager()  # 1.5 MB of script after "createPageHTML("
    assert script_pages(page.decode(), "http://h/col/nj/index.html") == []
    records = _crawl(site, tmp_path, page)
    assert [(r["event"], r.get("title")) for r in records if r.get("role")] == [
        ("fetched", "政府信息公开年报")
    ]
    assert sorted(site.hits) == ["/col/nj/index.html", "/robots.txt"]


def test_encoded_dot_segments_never_leave_the_column(site: Hostile, tmp_path: Path) -> None:
    scope = Scope.of("http://h/col/nj/index.html")
    assert not any(scope.in_column("http://h" + href) for href in TRAVERSALS)
    assert [resolved_path(href) for href in TRAVERSALS[:3]] == [
        "/secret/index.html",
        "/secret/index_1.html",
        "/secret/index_2.html",
    ]
    site.pages[COLUMN + "index_9.html"] = list_page("<p>第9页</p>")
    records = _crawl(site, tmp_path, traversal_page())
    assert not any(href in site.hits for href in TRAVERSALS)  # never asked for
    refused = [r for r in records if r.get("event") == "refused"]
    assert [(r["url"].removeprefix(site.base), r["reason"], r["final_url"]) for r in refused] == [
        ("/col/nj/redirect-out.html", "out_of_scope", site.base + TRAVERSALS[0])
    ]  # its redirect climbs out
    assert site.hits[COLUMN + "index_9.html"] == 1  # the column's own pages are walked
    assert not [r for r in records if r.get("inbox_path")]


def test_a_deeply_nested_page_is_parsed_with_its_breadcrumb() -> None:
    # every breadcrumb candidate's whole text was read: the page's size times its depth
    info = parse_page(nested_page(400_000).decode(), "http://h/col/nj/index.html")
    assert info.breadcrumb == "首页 > 政府信息公开年报"
    assert [link.url for link in info.links] == ["http://h/col/nj/index_2.html"]


def test_a_name_slow_to_resolve_is_cut_at_the_deadline(
    site: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def slow_dns(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "slow-dns.test":  # a resolver that answers after the deadline
            time.sleep(4)
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_dns)
    port = site.base.rsplit(":", 1)[1]
    url = f"http://slow-dns.test:{port}{COLUMN}index.html"
    result = Fetcher().fetch(url)
    assert (result.reason, result.attempts) == ("fetch_timeout", 1)
    assert result.message == f"response not complete within {DEADLINE_S} s"
    client = CrawlClient(FetchSettings.from_env(), delay_s=0)
    try:
        answer = client.get(url, {}, Scope.of(url).in_column)
    finally:
        client.close()
    # robots.txt got no answer in time: the site is not crawled (as urllib.robotparser does)
    assert (answer.reason, client.requests) == ("robots_disallowed", 1)
    assert not site.hits
