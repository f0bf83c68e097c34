"""`xxgk crawl` against a generated site on 127.0.0.1 (tests/support/crawl_site.py): the
column's pages, politeness, failures, re-crawls, resuming, and the load of what it fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from tests.land.test_fetch import FAST
from tests.support.crawl_site import Site, serve
from xxgk.land.crawl import CrawlRecord, CrawlSettings, crawl, read_manifest
from xxgk.land.crawl_html import classify, parse_page, script_pages
from xxgk.orchestration import pipeline

CAP = 25
SETTINGS = CrawlSettings(max_pages=CAP, delay_s=0.0, fetch=FAST)
REPORT_PATHS = (
    "/art/2017/report.html",
    "/art/2019/report.html",
    "/art/2020/report.html",
    "/art/2021/report.html",
    "/art/2023/report.html",
    "/module/download/2022nb.pdf",
)


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        yield running


def _start(site: Site) -> list[str]:
    return [site.base + "/col/nj/index.html"]


def _by_url(records: list[CrawlRecord], site: Site) -> dict[str, CrawlRecord]:
    """The last record of each path (a re-crawl's records come after the first's)."""
    return {r["url"].removeprefix(site.base): r for r in records if r.get("url")}


def test_a_column_is_crawled_into_the_inbox(site: Site, tmp_path: Path) -> None:
    summary = crawl(_start(site), tmp_path, SETTINGS)
    got = _by_url(read_manifest(tmp_path), site)
    # report pages and the attachment are in the inbox under their year, by sha256
    placed = sorted(
        str(r.get("inbox_path")).split("/")[0] for p, r in got.items() if r.get("inbox_path")
    )
    assert placed == ["2017", "2019", "2020", "2021", "2022", "2023"]
    assert len(summary.inbox_files) == 6
    assert all(len(Path(p).stem) == 64 for p in summary.inbox_files)
    # list pages (three, one only through the script pager) and the cover page are not
    assert {p for p in got if p.startswith("/col/nj/index")} == {
        "/col/nj/index.html",
        "/col/nj/index_1.html",
        "/col/nj/index_2.html",
    }
    assert got["/col/nj/index_2.html"]["status"] == 200
    cover, pdf = got["/art/2022/cover.html"], got["/module/download/2022nb.pdf"]
    assert cover.get("cover") is True and not cover.get("inbox_path")
    assert pdf["page_url"] == site.base + "/art/2022/cover.html"
    assert pdf["title"] == "示例市统计局2022年政府信息公开工作年度报告"
    assert pdf["breadcrumb"] == "首页 > 政务公开 > 政府信息公开年报"
    assert pdf["referrer"] == site.base + "/art/2022/cover.html"
    # another host is never contacted; robots.txt: the linked private page is never requested
    assert got["http://www.example.invalid/2015.html"]["reason"] == "out_of_scope"
    assert got["/col/nj/private/2018.html"]["reason"] == "robots_disallowed"
    assert site.requested("/col/nj/private/") == 0
    # the page failing once is retried; the dead link is recorded; the redirect followed
    assert site.answers[("/art/2017/report.html", 503)] == 1
    assert got["/art/2017/report.html"]["attempts"] == 2
    assert (got["/art/gone.html"]["event"], got["/art/gone.html"]["status"]) == ("failed", 404)
    assert got["/col/nj/old-2020.html"]["final_url"] == site.base + "/art/2020/report.html"
    # the GBK list page and report page are read through their <meta> charset
    assert got["/col/nj/index_1.html"]["charset"] == "gb18030"
    assert got["/art/2019/report.html"]["title"] == "2019年示例市统计局政府信息公开工作年度报告"
    assert got["/art/2019/report.html"]["anchor"] == "示例市统计局2019年政府信息公开工作年度报告"
    # the calendar trap ends at the page cap, after every report
    assert summary.pages == CAP and site.requested("/col/nj/calendar.html") < CAP
    assert any(r.get("reason") == "page_cap" for r in read_manifest(tmp_path))
    assert all(site.answers[(p, 200)] == 1 for p in REPORT_PATHS)


def test_a_recrawl_of_an_unchanged_site_downloads_nothing(site: Site, tmp_path: Path) -> None:
    crawl(_start(site), tmp_path, SETTINGS)
    first = site.count(200)
    site.answers.clear()
    summary = crawl(_start(site), tmp_path, SETTINGS)
    assert first >= len(REPORT_PATHS) + 3
    assert site.count(200) == 0  # every page and the attachment answered 304
    assert site.count(304) >= len(REPORT_PATHS) + 3
    assert summary.by_event.get("fetched", 0) == 0
    assert sorted(summary.inbox_files) == sorted(set(summary.inbox_files))
    # the cover page is parsed again from the stored copy: its attachment is still asked for
    assert site.answers[("/module/download/2022nb.pdf", 304)] == 1


def test_a_changed_page_lands_as_a_new_version(site: Site, tmp_path: Path) -> None:
    crawl(_start(site), tmp_path, SETTINGS)
    status, headers, body = site.routes["/art/2021/report.html"]
    site.routes["/art/2021/report.html"] = (
        status,
        headers,
        body.replace(b"</body>", "<p>更正：补充说明。</p></body>".encode()),
    )
    site.answers.clear()
    summary = crawl(_start(site), tmp_path, SETTINGS)
    assert site.count(200) == 1 and summary.by_event["fetched"] == 1
    assert len(list((tmp_path / "2021" / "web").iterdir())) == 2  # both versions


def test_since_skips_reports_of_earlier_years(site: Site, tmp_path: Path) -> None:
    crawl(_start(site), tmp_path, CrawlSettings(max_pages=CAP, delay_s=0.0, since=2020, fetch=FAST))
    got = _by_url(read_manifest(tmp_path), site)
    assert got["/art/2017/report.html"]["reason"] == "before_since"
    assert site.requested("/art/2017/") == site.requested("/art/2019/") == 0
    assert site.answers[("/art/2021/report.html", 200)] == 1


class _Killed(BaseException):
    """Stands for a kill: not an error the crawler would catch."""


class _DiesAfter(httpx.HTTPTransport):
    def __init__(self, requests: int) -> None:
        super().__init__()
        self.left = requests

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.left -= 1
        if self.left < 0:
            raise _Killed
        return super().handle_request(request)


def test_a_killed_crawl_resumes_without_asking_again(site: Site, tmp_path: Path) -> None:
    with pytest.raises(_Killed):
        crawl(_start(site), tmp_path, SETTINGS, transport=_DiesAfter(6))
    before = dict(site.answers)
    summary = crawl(_start(site), tmp_path, SETTINGS)
    assert summary.resumed
    asked_again = [
        k
        for k, n in before.items()
        if k[0] != "/robots.txt" and k[1] == 200 and site.answers[k] > n
    ]
    assert asked_again == []
    assert all(site.answers[(p, 200)] == 1 for p in REPORT_PATHS)
    assert len(summary.inbox_files) == 6
    runs = {r["run"] for r in read_manifest(tmp_path)}
    assert len(runs) == 1


def test_the_load_takes_the_crawls_provenance(site: Site, tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "data" / "warehouse.duckdb"
    crawl(_start(site), inbox, SETTINGS)
    landing = pipeline.land_step(inbox, warehouse, None)
    batches = [pipeline.extract_step(b, warehouse) for b in pipeline.plan_step(landing["manifest"])]
    pipeline.load_step(warehouse, landing["manifest"], batches)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select l.url, l.file_url, l.anchor_text, l.breadcrumb, l.page_title, l.fetched_at,"
            " r.report_year, r.status, (select count(*) from raw.cells c where c.report_sha256"
            " = l.report_sha256 and c.value is not null) from raw.landed_files l join"
            " raw.reports r using (report_sha256) order by r.report_year"
        ).fetchall()
    base = site.base
    assert [(r[0].removeprefix(base), r[6]) for r in rows] == [
        ("/art/2017/report.html", 2017),
        ("/art/2019/report.html", 2019),
        ("/col/nj/old-2020.html", 2020),
        ("/art/2021/report.html", 2021),
        ("/art/2022/cover.html", 2022),
        ("/art/2023/report.html", 2023),
    ]
    assert all(r[5] is not None and r[3] == "首页 > 政务公开 > 政府信息公开年报" for r in rows)
    pdf: Any = next(r for r in rows if r[6] == 2022)
    assert pdf[1] == base + "/module/download/2022nb.pdf"  # the attachment's own URL
    assert pdf[4] == "示例市统计局2022年政府信息公开工作年度报告"  # from the cover page
    assert pdf[8] > 20  # the attachment's cells are read
    assert all(r[7] != "quarantined" for r in rows)
    landed = json.loads(Path(landing["manifest"]).read_text(encoding="utf-8"))
    assert len(landed) == 6  # the cover and the list pages are not reports


def test_script_pagers_and_links_are_recognised() -> None:
    base = "http://h/col/nj/index.html"
    assert script_pages('createPageHTML(3, 0, "index", "html");', base) == [
        "http://h/col/nj/index.html",
        "http://h/col/nj/index_1.html",
        "http://h/col/nj/index_2.html",
    ]
    assert script_pages("createPageHTML('page_div', 2, 1, 'index', 'shtml', 30)", base) == [
        "http://h/col/nj/index.shtml",
        "http://h/col/nj/index_1.shtml",
    ]
    assert script_pages("createPageHTML(total, 1)", base) == []
    assert script_pages(
        "var countPage = 2//共多少页\nvar currentPage = 0;\n"
        'createPageHTML(countPage, currentPage, "index", "shtml");',
        base,
    ) == ["http://h/col/nj/index.shtml", "http://h/col/nj/index_1.shtml"]
    assert classify("http://h/a/b.PDF", "附件") == "attachment"
    assert classify("http://h/col/nj/index_4.html", "4") == "page"
    assert classify("http://h/list?page=2", "更多") == "page"
    assert classify("http://h/art/1.html", "2020年度政府信息公开工作年度报告") == "report"
    assert classify("http://h/art/1.html", "政策解读") == "other"
    info = parse_page(
        "<html><head><base href='/x/'><title> 标题 </title></head><body>"
        "<a href='a.pdf'>详见附件</a><a href='#top'>顶部</a>"
        "<a href='javascript:void(0)'>打印</a></body></html>",
        "http://h/y/z.html",
    )
    assert info.title == "标题" and info.is_cover
    assert [link.url for link in info.links] == ["http://h/x/a.pdf"]


def test_the_cli_crawls_a_column(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from xxgk.orchestration.cli import main

    for name, value in (
        ("TIMEOUT_S", "0.5"),
        ("RETRIES", "1"),
        ("BACKOFF_S", "0.01"),
        ("USE_ENV_PROXY", "0"),
    ):
        monkeypatch.setenv(f"XXGK_FETCH_{name}", value)
    result = CliRunner().invoke(
        main,
        [
            "crawl",
            *_start(site),
            "--inbox",
            str(tmp_path / "in"),
            "--max-pages",
            "12",
            "--delay",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "pages:    12" in result.output and "reports:  6 files" in result.output
    assert (tmp_path / "in" / ".crawl" / "manifest.jsonl").is_file()


def test_the_cli_fails_when_no_start_page_is_read(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start page that answers 404 (or a host that refuses) lands nothing: exit 1 and one
    line saying so, after the summary; the manifest keeps the reason."""
    from click.testing import CliRunner

    from xxgk.orchestration.cli import main

    for name, value in (("RETRIES", "0"), ("USE_ENV_PROXY", "0")):
        monkeypatch.setenv(f"XXGK_FETCH_{name}", value)
    inbox = tmp_path / "in"
    result = CliRunner().invoke(
        main, ["crawl", site.base + "/col/nj/missing.html", "--inbox", str(inbox), "--delay", "0"]
    )
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == (
        "Error: nothing crawled: no start page could be fetched (the manifest says why)"
    )
    assert "reports:  0 files" in result.output
    assert [r["event"] for r in read_manifest(inbox)][1:-1] == ["failed"]


def test_a_redirect_leaving_the_site_is_not_followed(site: Site, tmp_path: Path) -> None:
    site.routes["/col/nj/away.html"] = (302, {"Location": "http://www.example.invalid/"}, b"")
    summary = crawl([site.base + "/col/nj/away.html"], tmp_path, SETTINGS)
    record = read_manifest(tmp_path)[1]
    assert (record["event"], record["reason"]) == ("refused", "out_of_scope")
    assert record["final_url"] == "http://www.example.invalid/"
    assert summary.pages == 1 and summary.inbox_files == []


def test_an_unreachable_robots_txt_forbids_the_site(site: Site, tmp_path: Path) -> None:
    site.routes["/robots.txt"] = (503, {}, b"busy")
    crawl(_start(site), tmp_path, SETTINGS)
    record = read_manifest(tmp_path)[1]
    assert (record["event"], record["reason"]) == ("refused", "robots_disallowed")
    assert site.requested("/col/") == 0
    assert site.answers[("/robots.txt", 503)] == 2  # asked again once (FAST: one retry)


def test_the_delay_spaces_requests_to_a_host(site: Site, tmp_path: Path) -> None:
    import time

    started = time.monotonic()
    crawl(_start(site), tmp_path, CrawlSettings(max_pages=3, delay_s=0.2, fetch=FAST))
    # robots.txt and three pages: three waits of 0.2 s at least
    assert time.monotonic() - started >= 0.6


def test_a_crawl_killed_after_its_cap_resumes_to_the_same_files(site: Site, tmp_path: Path) -> None:
    first = crawl(_start(site), tmp_path, SETTINGS)
    manifest = tmp_path / ".crawl" / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["event"] == "end"
    manifest.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # killed before it
    before = site.count(200)
    again = crawl(_start(site), tmp_path, SETTINGS)
    assert again.resumed and site.count(200) == before
    assert sorted(set(again.inbox_files)) == sorted(set(first.inbox_files))
