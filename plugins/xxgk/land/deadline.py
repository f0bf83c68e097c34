"""One deadline for a whole HTTP response: connect, TLS handshake, headers and body.

A socket timeout bounds one operation (one connect, one ``recv``): a server that sends one
byte a second, in its headers or its body, never trips it and holds the crawl for as long
as it likes. A :class:`Deadline` is entered around one request; while it is current (per
thread), the time left bounds every wait:

- ``httpx`` (the crawler): :func:`bounded_transport` gives a transport whose network backend
  waits at most the time left in every connect, read and write, and fails once it is gone
  (httpx itself has no total timeout: encode/httpx#1450);
- ``urllib`` (``xxgk land --urls``): :func:`bounded_handlers` give connections whose socket is
  registered with the deadline; a timer shuts it down when the time is up, which wakes a
  ``recv`` blocked in ``http.client`` (header lines included), and the connect waits at
  most the time left.

Name resolution takes no timeout (``getaddrinfo``): :func:`resolve` runs it on a small pool
of threads and waits for it no longer than the time left; both clients then connect to the
addresses it gave, one after the other.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

import httpcore
import httpx

_CURRENT = threading.local()
_RESOLVERS: list[ThreadPoolExecutor] = []
_RESOLVERS_LOCK = threading.Lock()


class Deadline:
    """``seconds`` from now for one request; ``with deadline:`` makes it this thread's."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.fired = False  # the watchdog shut the request's sockets down
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._outer: Deadline | None = None

    def left(self) -> float:
        return self.end - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.fired or self.left() <= 0

    def budget(self, timeout: float | None) -> float:
        """What one operation may wait: its own timeout, or less when the deadline is near.

        Raises:
            TimeoutError: the deadline has passed.
        """
        left = self.left()
        if left <= 0:
            raise TimeoutError(f"response not complete within {self.seconds:g} s")
        return left if timeout is None else min(timeout, left)

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (a duplicate descriptor is kept, so a
        socket closed and its number reused meanwhile is never touched)."""
        with self._lock:
            dup = sock.dup()
            self._socks.append(dup)
            if self.fired:
                _shutdown(dup)
            elif self._timer is None:
                self._timer = threading.Timer(max(self.left(), 0.0), self._fire)
                self._timer.daemon = True
                self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._socks:
                _shutdown(sock)

    def __enter__(self) -> Deadline:
        self._outer = getattr(_CURRENT, "deadline", None)
        _CURRENT.deadline = self
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _CURRENT.deadline = self._outer
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            for sock in self._socks:
                sock.close()
            self._socks.clear()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # closed by the peer already


def current() -> Deadline | None:
    """This thread's deadline, if a request is under one."""
    found: Deadline | None = getattr(_CURRENT, "deadline", None)
    return found


def _resolver() -> ThreadPoolExecutor:
    with _RESOLVERS_LOCK:
        if not _RESOLVERS:
            # a lookup cut at the deadline still holds its thread until the system
            # resolver gives up; a few threads are enough for one crawl's few hosts
            _RESOLVERS.append(ThreadPoolExecutor(4, thread_name_prefix="xxgk-resolve"))
        return _RESOLVERS[0]


def _numeric(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host``, waited for no longer than the current deadline allows
    (``[host]`` itself when there is no deadline or it is an address already).

    Raises:
        TimeoutError: the deadline passed first.
        OSError: the name is unknown (``socket.gaierror``).
    """
    deadline = current()
    if deadline is None or _numeric(host):
        return [host]
    lookup = _resolver().submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=deadline.budget(None))
    except TimeoutError as exc:
        lookup.cancel()
        raise TimeoutError(f"no address for {host} within {deadline.seconds:g} s") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _budget(timeout: float | None, error: type[Exception]) -> float | None:
    deadline = current()
    if deadline is None:
        return timeout
    left = deadline.left()
    if left <= 0:
        raise error(f"response not complete within {deadline.seconds:g} s")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A connection whose every wait is cut to the time left of the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception | None = None
        for address in addresses:  # as socket.create_connection does: the first that answers
            budget = _budget(timeout, httpcore.ConnectTimeout)
            try:
                stream = self._inner.connect_tcp(
                    address, port, budget, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _Stream(stream)
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, budget, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound(transport: httpx.BaseTransport) -> httpx.BaseTransport:
    """``transport`` with its connections' waits cut to the current deadline.

    httpx offers no hook for this: the backend of its connection pool is swapped (a private
    attribute of httpx 0.28 / httpcore 1.0). If that changes, this fails loudly rather than
    letting a crawl run unbounded; the hostile-server tests also catch it.

    Raises:
        RuntimeError: the transport has no connection pool whose backend can be bounded.
    """
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if not isinstance(inner, httpcore.NetworkBackend):
        raise RuntimeError(f"cannot bound the response time of {type(transport).__name__}")
    if not isinstance(inner, _Backend):
        pool._network_backend = _Backend(inner)  # type: ignore[union-attr]
    return transport


class BoundedClient(httpx.Client):
    """An ``httpx.Client`` whose transports (proxies from the environment included) wait
    no longer than the current :class:`Deadline`."""

    def _init_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        transport: httpx.BaseTransport = super()._init_transport(*args, **kwargs)
        return bound(transport) if kwargs.get("transport") is None else transport

    def _init_proxy_transport(self, *args: Any, **kwargs: Any) -> httpx.BaseTransport:
        return bound(super()._init_proxy_transport(*args, **kwargs))


def _watched_connection(
    address: tuple[str, int], timeout: float | None = None, source_address: Any = None
) -> socket.socket:
    deadline = current()
    if deadline is None:
        return socket.create_connection(address, timeout, source_address)
    host, port = address
    failure: OSError | None = None
    for ip in resolve(host, port):  # as socket.create_connection does: the first that answers
        try:
            sock = socket.create_connection((ip, port), deadline.budget(timeout), source_address)
        except OSError as exc:
            failure = exc
            continue
        deadline.watch(sock)
        return sock
    raise failure or OSError(f"no address for {host}")


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _watched_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _watched_connection  # the TLS handshake is watched too


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        super().__init__()
        self._tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._tls)


def bounded_handlers() -> list[urllib.request.BaseHandler]:
    """HTTP and HTTPS handlers for ``urllib`` whose sockets the current deadline watches."""
    return [_HTTPHandler(), _HTTPSHandler()]
