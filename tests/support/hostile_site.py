"""A hostile web server on 127.0.0.1 for the crawler and URL landing (tests and bench).

What it does to a client: drips its headers or its body one byte at a time, floods a body
with no end, serves list pages with pager bombs (``createPageHTML(10000, …)`` repeated, an
unclosed ``createPageHTML(`` before a megabyte of script) and links or redirects that climb
out of the column with percent-encoded dot segments. Every request is counted by its raw
path (``Hostile.hits``), so a test can say what was never asked for.

A dripping answer ends by itself after ``drip_bytes`` bytes: a client that is not cut at
its deadline then gets a complete (wrong) answer and its test fails instead of hanging.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COLUMN = "/col/nj/"
HTML = "text/html; charset=utf-8"
# links that leave /col/nj/ once the server has decoded and resolved them
TRAVERSALS = (
    "/col/nj/%2e%2e/%2e%2e/secret/index.html",
    "/col/nj/%2E%2E/%2E%2E/secret/index_1.html",
    "/col/nj/..;/..;/secret/index_2.html",
    "/col/nj/%252e%252e/%252e%252e/secret/index_3.html",
    "/col/nj/.%2e/.%2e/secret/index_4.html",
    "/col/nj%2f..%2f..%2fsecret/index_5.html",
)


def list_page(body: str, title: str = "政府信息公开年报") -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"
    ).encode()


def pager_bomb(size: int = 57_000, total: int = 10_000) -> bytes:
    """A list page of ``size`` bytes of ``createPageHTML(total, …)`` calls, each with its own
    file stem (a page of one stem repeated is the easy case)."""
    calls: list[str] = []
    length = 0
    while length < size:
        call = f'createPageHTML({total}, 0, "p{len(calls)}", "html");'
        calls.append(call)
        length += len(call)
    return list_page(f"<script>{''.join(calls)}</script>")


def unclosed_pager(size: int = 1_500_000) -> bytes:
    """A list page whose script opens ``createPageHTML(`` and then runs ``size`` bytes of
    identifiers and assignments, with no ``)`` after them."""
    filler = "countPage currentPage pageSize = 1 "
    words = filler * (size // len(filler))
    return list_page(f"<script>var countPage = 3; createPageHTML( {words}</script>")


def img_flood(size: int = 400_000) -> bytes:
    """An HTML page of ``size`` bytes of unterminated ``<img `` tags, then one real one."""
    return b"<html><body>" + b"<img " * (size // 5) + b"<img src='t.png'></body></html>"


def nested_page(size: int = 1_000_000) -> bytes:
    """A list page of ``size`` bytes of text under 250 nested ``<div>`` (the HTML parser's
    depth limit), a breadcrumb before them and a pager link inside."""
    return list_page(
        "<div class='position'>当前位置：首页 &gt; 政府信息公开年报</div>"
        + "<div>" * 250
        + "字 " * (size // 4)
        + "<a href='index_2.html'>下一页</a>"
        + "</div>" * 250
    )


def traversal_page() -> bytes:
    links = "".join(f"<a href='{href}'>{i + 2}</a>" for i, href in enumerate(TRAVERSALS))
    return list_page(
        f"<div class='page'>{links}<a href='/col/nj/redirect-out.html'>下一页</a>"
        "<a href='/col/nj/index_9.html'>9</a></div>"
    )


@dataclass
class Hostile:
    """What the server answers; ``hits`` counts requests by raw path (query included)."""

    base: str = ""
    hits: Counter[str] = field(default_factory=Counter)
    drip_interval_s: float = 0.1
    drip_bytes: int = 300
    flood_bytes: int = 1 << 30
    pages: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def outside(self, prefix: str = COLUMN) -> list[str]:
        """Paths requested outside ``prefix`` (robots.txt aside), as the server saw them."""
        return sorted(p for p in self.hits if not p.startswith(prefix) and p != "/robots.txt")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        site = self.server.site
        with site.lock:
            site.hits[self.path] += 1
        path = self.path.split("?")[0]
        try:
            if path.endswith("/drip-headers.html"):
                self._drip_headers(site)
            elif path.endswith("/drip-body.html"):
                self._drip_body(site)
            elif path.endswith("/flood.html"):
                self._flood(site)
            elif path.endswith("/redirect-out.html"):
                self._send(302, {"Location": TRAVERSALS[0]}, b"")
            elif path in site.pages:
                self._send(200, {"Content-Type": HTML}, site.pages[path])
            else:
                self._send(404, {"Content-Type": HTML}, b"<html>404</html>")
        except OSError:
            return  # the client hung up: what a cut looks like from here

    def _drip(self, site: Hostile, data: bytes) -> None:
        for i in range(len(data)):
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            time.sleep(site.drip_interval_s)

    def _drip_headers(self, site: Hostile) -> None:
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        # one header line, one byte at a time, then the end of the headers and a body
        self._drip(site, b"X-Slow: " + b"a" * max(site.drip_bytes - 10, 1) + b"\r\n")
        self.wfile.write(b"Content-Length: 2\r\nConnection: close\r\n\r\nok")

    def _drip_body(self, site: Hostile) -> None:
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        self._drip(site, b"<html>" + b"a" * site.drip_bytes + b"</html>")

    def _flood(self, site: Hostile) -> None:
        self.close_connection = True
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        for _ in range(site.flood_bytes // len(chunk)):
            self.wfile.write(chunk)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Hostile

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that hangs up mid-request is what these tests are about

    def server_bind(self) -> None:
        # a client cut mid-answer leaves the port in TIME_WAIT; tests start many servers
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        super().server_bind()


@contextmanager
def serve(site: Hostile) -> Iterator[Hostile]:
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
