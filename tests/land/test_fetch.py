"""URL landing against a local HTTP server: retries, timeouts, redirects, rate limit, caps."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.support.pdfgen import Table, Text, make_pdf
from tests.support.report_site import Site, serve
from tests.support.warehouse import load_rows
from xxgk.core.quarantine import is_stub_path
from xxgk.extract import extract_file
from xxgk.extract.record import extract_stub
from xxgk.land.fetch import (
    Fetcher,
    FetchSettings,
    HostRateLimiter,
    ascii_url,
    file_name_of,
    land_urls,
    read_url_list,
)

FAST = FetchSettings(
    timeout_s=0.5,
    deadline_s=1.0,
    retries=1,
    backoff_s=0.01,
    max_backoff_s=0.05,
    host_interval_s=0.0,
    max_bytes=1 << 20,
    use_env_proxy=False,
)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    pdf = make_pdf(
        [
            Text("2019年度某局政府信息公开工作年度报告"),
            Table([["统计指标", "单位", "统计数"], ["主动公开政府信息数", "条", "7"]]),
        ]
    )
    with serve(Site(pdf=pdf, slow_seconds=1.5)) as running:
        yield running


def _fetch(
    site: Site, path: str, settings: FetchSettings = FAST
) -> tuple[str | None, str, int | None]:
    result = Fetcher(settings).fetch(site.base + path)
    return result.reason, result.message, result.status


def test_a_page_is_fetched_with_its_header_charset(site: Site) -> None:
    result = Fetcher(FAST).fetch(site.base + "/gbk.html")
    assert (result.status, result.charset, result.reason) == (200, "gbk", None)
    assert result.body is not None and "年度报告".encode("gbk") in result.body


def test_redirects_are_followed(site: Site) -> None:
    result = Fetcher(FAST).fetch(site.base + "/redirect-chain")
    assert result.status == 200 and result.final_url == site.base + "/report.html"


@pytest.mark.parametrize(
    ("path", "reason", "status"),
    [
        ("/missing", "http_error", 404),
        ("/forbidden", "http_error", 403),
        ("/loop", "fetch_failed", 302),
        ("/to-file", "fetch_failed", 302),  # a redirect may not leave http(s)
        ("/big", "too_large", None),  # refused on Content-Length, nothing read
    ],
)
def test_failures_have_a_reason(site: Site, path: str, reason: str, status: int | None) -> None:
    assert _fetch(site, path)[0::2] == (reason, status)


def test_a_body_over_the_cap_is_cut_off(site: Site) -> None:
    assert _fetch(site, "/endless")[0] == "too_large"  # an endless body ends at the cap


def test_a_slow_server_times_out_after_the_retries(site: Site) -> None:
    settings = FetchSettings(
        timeout_s=0.2, retries=1, backoff_s=0.01, host_interval_s=0, use_env_proxy=False
    )
    result = Fetcher(settings).fetch(site.base + "/slow")
    assert (result.reason, result.attempts) == ("fetch_timeout", 2)


def test_a_dripping_response_hits_the_deadline(site: Site) -> None:
    settings = FetchSettings(
        timeout_s=1.0, deadline_s=0.3, retries=0, host_interval_s=0, use_env_proxy=False
    )
    reason, message, _ = _fetch(site, "/drip", settings)
    assert reason == "fetch_timeout" and "not complete" in message


def test_transient_errors_are_retried_with_backoff() -> None:
    waits: list[float] = []
    with serve(Site(flaky_failures=2)) as flaky:
        settings = FetchSettings(retries=3, backoff_s=0.01, host_interval_s=0, use_env_proxy=False)
        result = Fetcher(settings, sleep=waits.append).fetch(flaky.base + "/flaky")
        assert (result.status, result.attempts, flaky.hits["/flaky"]) == (200, 3, 3)
    assert waits == [0.0, 0.0]  # Retry-After: 0 from the server wins over the backoff


def test_retries_stop_and_backoff_doubles() -> None:
    waits: list[float] = []
    with serve(Site(flaky_failures=10)) as flaky:
        settings = FetchSettings(
            retries=3, backoff_s=0.5, max_backoff_s=1.5, host_interval_s=0, use_env_proxy=False
        )
        fetcher = Fetcher(settings, sleep=waits.append)
        fetcher._backoff(1, None)
        assert [fetcher._backoff(n, None) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]
        result = fetcher.fetch(flaky.base + "/flaky")
    assert (result.reason, result.status, result.attempts) == ("http_error", 503, 4)


def test_rate_limit_spaces_requests_per_host() -> None:
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = HostRateLimiter(2.0, clock=lambda: clock[0], sleep=sleep)
    for host in ("a.gov.cn", "a.gov.cn", "b.gov.cn", "a.gov.cn"):
        limiter.wait(host)
    assert slept == [2.0, 4.0]  # the second and third request to a.gov.cn wait; b does not


def test_rate_limit_against_the_server(site: Site) -> None:
    settings = FetchSettings(host_interval_s=0.15, retries=0, use_env_proxy=False)
    fetcher = Fetcher(settings)
    started = time.monotonic()
    for _ in range(3):
        assert fetcher.fetch(site.base + "/report.html").status == 200
    assert time.monotonic() - started >= 0.3


def test_chinese_paths_are_percent_encoded(site: Site) -> None:
    assert ascii_url("http://例子.中国/年报.html?年=2020#x") == (
        "http://xn--fsqu00a.xn--fiqs8s/%E5%B9%B4%E6%8A%A5.html?%E5%B9%B4=2020",
        "xn--fsqu00a.xn--fiqs8s",
    )
    assert ascii_url("HTTP://Host:8080/a%20b")[0] == "http://host:8080/a%20b"
    result = Fetcher(FAST).fetch(site.base + "/年报.html")
    assert (result.status, result.reason) == (200, None)


def test_bad_urls_never_reach_the_network() -> None:
    for url in (
        "file:///etc/passwd",
        "ftp://example.org/x",
        "javascript:alert(1)",
        "nohost",
        "http://[::1",
        "http://host:99999/",
    ):
        result = Fetcher(FAST).fetch(url)
        assert (result.reason, result.attempts) == ("fetch_failed", 0)


def test_url_list_reading(tmp_path: Path) -> None:
    path = tmp_path / "urls.csv"
    path.write_bytes(
        "\ufeffURL,Agency,Year\nhttp://a/x.html,某县统计局,2020\n"
        "# a comment,,\n,,\nhttp://a/y.html,,20x\n".encode()
    )
    entries = read_url_list(path)
    assert [(e.url, e.agency, e.year) for e in entries] == [
        ("http://a/x.html", "某县统计局", 2020),
        ("http://a/y.html", None, None),
    ]
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("url,agency\nhttp://a/z.html,某县水利局\n".encode("gbk"))
    assert read_url_list(gbk)[0].agency == "某县水利局"
    (tmp_path / "bad.csv").write_text("link\nhttp://a\n")
    with pytest.raises(ValueError, match="'url' column"):
        read_url_list(tmp_path / "bad.csv")


def test_file_names_from_urls() -> None:
    assert file_name_of("http://a/b/%E5%B9%B4%E6%8A%A5.pdf?x=1") == "年报.pdf"
    assert file_name_of("http://a/") == "index.html"
    assert file_name_of("http://a/b/..") == "index.html"
    assert file_name_of("http://a/..%2F..%2Fetc%2Fpasswd") == "../../etc/passwd"


def test_land_urls_lands_every_row_with_url_and_fetch_time(site: Site, tmp_path: Path) -> None:
    urls = tmp_path / "urls.csv"
    rows = [
        "url,agency,year",
        f"{site.base}/report.html,某县统计局,2020",
        f"{site.base}/gbk.html,,2020",
        f"{site.base}/report.pdf,某局,2019",
        f"{site.base}/missing,,",
        f"{site.base}/login.html,,",
        "file:///etc/passwd,,",
    ]
    urls.write_text("\n".join(rows) + "\n", encoding="utf-8")
    landed = land_urls(urls, tmp_path / "raw", settings=FAST)
    assert [f.url for f in landed] == [r.split(",")[0] for r in rows[1:]]
    assert [f.quarantine_reason for f in landed] == [
        None,
        None,
        None,
        "http_error",
        None,
        "fetch_failed",
    ]
    assert landed[0].agency_hint == "某县统计局" and landed[0].inbox_year == 2020
    assert landed[1].charset_hint == "gbk" and landed[3].http_status == 404
    assert all(f.fetched_at and Path(f.raw_path).is_relative_to(tmp_path / "raw") for f in landed)
    # as extraction batches read them: a stub by where it is stored
    records = [
        extract_stub(Path(f.raw_path), f.source_path)
        if is_stub_path(Path(f.raw_path))
        else extract_file(Path(f.raw_path), f.source_path)
        for f in landed
    ]
    errors = [[i["code"] for i in r["issues"] if i["severity"] == "error"] for r in records]
    assert [(r["status"], e[0] if e else None) for r, e in zip(records, errors, strict=True)] == [
        ("ok", None),
        ("ok", None),
        ("partial", "table_truncated"),  # the PDF's 统计表 has one row of its template's many
        ("quarantined", "http_error"),
        ("quarantined", "not_a_report"),
        ("quarantined", "fetch_failed"),
    ]
    again = land_urls(urls, tmp_path / "raw", settings=FAST)
    assert [f.report_sha256 for f in again] == [f.report_sha256 for f in landed]


def test_fetched_failures_pass_the_load_count_check(site: Site, tmp_path: Path) -> None:
    urls = tmp_path / "urls.csv"
    urls.write_text(
        "url\n"
        + "\n".join(
            site.base + p for p in ("/report.html", "/missing", "/loop", "/big", "/login.html")
        )
        + "\n",
        encoding="utf-8",
    )
    landed = [f.as_row() for f in land_urls(urls, tmp_path / "raw", settings=FAST)]
    summary = load_rows(landed, tmp_path, batch_size=10, warehouse=tmp_path / "w.duckdb")
    assert summary.by_status == {"ok": 1, "quarantined": 4}
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        reasons = dict(
            con.execute(
                "SELECT r.source_path, i.code FROM raw.reports r JOIN raw.issues i "
                "USING (report_sha256) WHERE i.severity = $s",
                {"s": "error"},
            ).fetchall()
        )
    assert reasons == {
        site.base + "/missing": "http_error",
        site.base + "/loop": "fetch_failed",
        site.base + "/big": "too_large",
        site.base + "/login.html": "not_a_report",
    }
