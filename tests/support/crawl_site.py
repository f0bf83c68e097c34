"""A generated government site on 127.0.0.1 for crawl tests: a 年报 column of three list
pages (a ``下一页`` link and a ``createPageHTML`` script pager), report pages from the demo
samples, a 详见附件 cover page with a PDF attachment, robots.txt forbidding a linked path, a
page failing once, a dead link, a redirect, a GBK page and a calendar link trap.

The server answers conditional GETs (ETag and Last-Modified) with 304 and counts every
answer by path and status (``Site.answers``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.docgen import text_blocks
from tests.support.paths import SAMPLES_INBOX
from tests.support.pdfgen import make_pdf

SAMPLES = SAMPLES_INBOX
COLUMN = "/col/nj/"
LAST_MODIFIED = "Tue, 01 Apr 2025 06:00:00 GMT"
UTF8 = "text/html; charset=utf-8"
CRUMB = "<div class='position'>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"


def _list_page(links: list[tuple[str, str]], extra: str = "", meta: str = "utf-8") -> str:
    items = "".join(f"<li><a href='{href}' target='_blank'>{text}</a></li>" for href, text in links)
    return (
        f"<html><head><meta charset='{meta}'><title>政府信息公开年报_示例市人民政府</title>"
        f"</head><body><div class='nav'><a href='/'>首页</a><a href='/col/zc/'>政策</a></div>"
        f"{CRUMB}<ul class='list'>{items}</ul>{extra}</body></html>"
    )


def _sample(year: int) -> str:
    return next((SAMPLES / str(year)).glob("*")).read_text(encoding="utf-8")


def _text_page(text: str, charset: str) -> str:
    title = text.split("\n", 1)[0]
    return (
        f"<html><head><meta http-equiv='Content-Type' content='text/html; "
        f"charset={charset}'><title>{title}</title></head><body>{CRUMB}<pre>{text}</pre>"
        f"</body></html>"
    )


COVER = (
    f"<html><head><meta charset='utf-8'><title>示例市统计局2022年政府信息公开工作年度报告"
    f"</title></head><body>{CRUMB}<h1>示例市统计局2022年政府信息公开工作年度报告</h1>"
    f"<p>详见附件：</p><p><a href='/module/download/2022nb.pdf'>2022年年报.pdf</a></p>"
    f"</body></html>"
)


def build_routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    """path → (status, headers, body) of the site's static pages."""
    page1 = _list_page(
        [
            ("/art/2021/report.html", "示例市统计局2021年政府信息公开工作年度报告"),
            ("/col/nj/old-2020.html", "示例市统计局2020年政府信息公开工作年度报告"),
            ("/col/nj/private/2018.html", "2018年政府信息公开工作年度报告（内部）"),
            ("/art/gone.html", "2016年政府信息公开工作年度报告"),
            ("/col/nj/calendar.html?m=1", "发布日历"),
            ("http://www.example.invalid/2015.html", "2015年政府信息公开工作年度报告（上级网站）"),
        ],
        "<div class='page'><a href='index_1.html'>下一页</a></div>"
        '<script>createPageHTML(3, 0, "index", "html");</script>',
    )
    page2 = _list_page(
        [
            ("/art/2019/report.html", "示例市统计局2019年政府信息公开工作年度报告"),
            ("/art/2022/cover.html", "示例市统计局2022年政府信息公开工作年度报告"),
            ("/art/2017/report.html", "示例市交通运输局2017年政府信息公开工作年度报告"),
        ],
        "<a href='index.html'>上一页</a><a href='index_2.html'>下一页</a>",
        meta="gb2312",
    )
    page3 = _list_page(
        [("/art/2023/report.html", "2023年政府信息公开工作年度报告")],
        "<a href='index_1.html'>上一页</a>",
    )
    html = {"Content-Type": UTF8}
    return {
        "/robots.txt": (
            200,
            {"Content-Type": "text/plain"},
            b"User-agent: *\nDisallow: /col/nj/private/\n",
        ),
        "/col/nj/index.html": (200, html, page1.encode("utf-8")),
        # the charset only in the page's <meta>, as many GBK sites do
        "/col/nj/index_1.html": (200, {"Content-Type": "text/html"}, page2.encode("gbk")),
        "/col/nj/index_2.html": (200, html, page3.encode("utf-8")),
        "/col/nj/old-2020.html": (302, {"Location": "/art/2020/report.html"}, b""),
        "/col/nj/private/2018.html": (200, html, _text_page("秘密", "utf-8").encode()),
        "/art/2021/report.html": (200, html, _sample(2021).encode("utf-8")),
        "/art/2020/report.html": (200, html, _sample(2020).encode("utf-8")),
        "/art/2017/report.html": (200, html, _sample(2017).encode("utf-8")),
        "/art/2023/report.html": (200, html, _sample(2023).encode("utf-8")),
        "/art/2019/report.html": (
            200,
            {"Content-Type": "text/html"},
            _text_page(_sample(2019), "gbk").encode("gbk"),
        ),
        "/art/2022/cover.html": (200, html, COVER.encode("utf-8")),
        "/module/download/2022nb.pdf": (
            200,
            {"Content-Type": "application/pdf"},
            make_pdf(text_blocks(_sample(2022))),
        ),
    }


@dataclass
class Site:
    base: str = ""
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=build_routes)
    answers: Counter[tuple[str, int]] = field(default_factory=Counter)
    fail_first: set[str] = field(default_factory=lambda: {"/art/2017/report.html"})
    conditional: bool = True  # answer If-None-Match / If-Modified-Since with 304
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, prefix: str = "/") -> int:
        return sum(
            n
            for (path, code), n in self.answers.items()
            if code == status and path.startswith(prefix) and path != "/robots.txt"
        )

    def requested(self, prefix: str) -> int:
        return sum(n for (path, _), n in self.answers.items() if path.startswith(prefix))


def _calendar(month: int) -> bytes:
    """A calendar that always links the next month: a link trap."""
    return (
        f"<html><head><meta charset='utf-8'><title>发布日历 {month}</title></head><body>"
        f"<a href='calendar.html?m={month + 1}'>下个月</a></body></html>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server.site
        path, _, query = self.path.partition("?")
        with site.lock:
            failing = path in site.fail_first
            site.fail_first.discard(path)
        if failing:
            self._send(path, 503, {"Retry-After": "0"}, b"busy")
        elif path == "/col/nj/calendar.html" and query.startswith("m="):
            self._static(path, 200, {"Content-Type": UTF8}, _calendar(int(query[2:])))
        elif path in site.routes:
            self._static(path, *site.routes[path])
        else:
            self._send(path, 404, {"Content-Type": UTF8}, "<html>页面不存在</html>".encode())

    def _static(self, path: str, status: int, headers: dict[str, str], body: bytes) -> None:
        site = self.server.site
        if status != 200:
            self._send(path, status, headers, body)
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {**headers, "ETag": etag, "Last-Modified": LAST_MODIFIED}
        # RFC 9110: If-None-Match, when sent, decides; If-Modified-Since only without it
        match = self.headers.get("If-None-Match")
        unchanged = (
            match == etag
            if match is not None
            else self.headers.get("If-Modified-Since") == LAST_MODIFIED
        )
        if site.conditional and unchanged:
            self._send(path, 304, {"ETag": etag}, b"")
            return
        self._send(path, 200, headers, body)

    def _send(self, path: str, status: int, headers: dict[str, str], body: bytes) -> None:
        site = self.server.site
        with site.lock:
            site.answers[(path, status)] += 1
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            try:
                self.wfile.write(body)
            except OSError:
                return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = site
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
