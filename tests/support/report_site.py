"""A local HTTP server on 127.0.0.1 with good, slow, failing and redirecting endpoints."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPORT = (
    "<html><head><meta charset='utf-8'><title>2020年度某县统计局政府信息公开工作年度报告"
    "</title></head><body><p>2020年度某县统计局政府信息公开工作年度报告</p>"
    "<p>全年主动公开政府信息142条。</p></body></html>"
)
GBK_REPORT = REPORT.replace("<meta charset='utf-8'>", "")  # charset only in the header
LOGIN = (
    "<html><head><title>用户登录</title></head><body><form>用户名 密码 验证码"
    "<button>登录</button></form><p>政务服务网</p></body></html>"
)
# A GBK text report with a text-drawn table and no charset declaration in its bytes (the
# charset is only in the Content-Type header); GBK's ─│┌ are common characters in Big5.
GBK_TABLE_REPORT = (
    "呼图壁县统计局2020年政府信息公开工作年度报告\n"
    "本报告由呼图壁县统计局编制。全年主动公开政府信息142条。\n"
    "┌────────────┬──────┐\n"
    "│ 主动公开   │ 142  │\n"
    "├────────────┼──────┤\n"
    "│ 依申请公开 │ 5    │\n"
    "└────────────┴──────┘\n"
)
NOT_FOUND = "<html><head><title>404 Not Found</title></head><body>页面不存在</body></html>"


@dataclass
class Site:
    """What the server answers; ``hits`` counts requests per path."""

    base: str = ""
    hits: Counter[str] = field(default_factory=Counter)
    flaky_failures: int = 2
    slow_seconds: float = 2.0
    pdf: bytes = b""


def _routes(site: Site) -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    return {
        "/report.html": (200, html, REPORT.encode("utf-8")),
        "/%E5%B9%B4%E6%8A%A5.html": (200, html, REPORT.encode("utf-8")),  # /年报.html
        "/gbk.html": (200, {"Content-Type": "text/html; charset=GBK"}, GBK_REPORT.encode("gbk")),
        "/gbk-table.txt": (
            200,
            {"Content-Type": "text/plain; charset=GBK"},
            GBK_TABLE_REPORT.encode("gbk"),
        ),
        "/login.html": (200, html, LOGIN.encode("utf-8")),
        "/report.pdf": (200, {"Content-Type": "application/pdf"}, site.pdf),
        "/missing": (404, html, NOT_FOUND.encode("utf-8")),
        "/forbidden": (403, html, b"<html>403</html>"),
        "/redirect": (302, {"Location": "/report.html"}, b""),
        "/redirect-chain": (301, {"Location": "/redirect"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/big": (200, {"Content-Type": "text/html", "Content-Length": str(50 << 20)}, b""),
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server.site
        path = self.path.split("?")[0]
        site.hits[path] += 1
        if path == "/flaky":
            self._flaky(site)
        elif path == "/slow":
            time.sleep(site.slow_seconds)
            self._send(200, {}, REPORT.encode())
        elif path in ("/drip", "/endless"):
            self._drip(forever=path == "/endless")
        elif path in _routes(site):
            self._send(*_routes(site)[path])
        else:
            self._send(404, {}, b"not here")

    def _flaky(self, site: Site) -> None:
        if site.hits["/flaky"] <= site.flaky_failures:
            self._send(503, {"Retry-After": "0"}, b"busy")
        else:
            self._send(200, {"Content-Type": "text/html; charset=utf-8"}, REPORT.encode())

    def _drip(self, forever: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(100_000 if forever else 40):
                self.wfile.write(b"x" * (65536 if forever else 1))
                self.wfile.flush()
                if not forever:
                    time.sleep(0.05)
        except OSError:
            return

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
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
