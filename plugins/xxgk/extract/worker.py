"""Extraction under limits: each landed file is extracted in a worker process, with a wall
time and a memory cap per file.

The decoders cap what they can see coming (bytes, pages, ZIP members, inflated streams), but
some hostile files are only expensive to parse: 300 PDF pages sharing one 5 MB content
stream, filters the stream check does not follow. Such a file must not hold or sink a
batch. :class:`ExtractionGuard` sends one file at a time to a worker and waits for its
record: past ``Limits.extract_timeout_s`` the worker is killed and the file is quarantined
``too_slow``; a worker whose resident memory grows past ``Limits.max_extract_memory`` is
killed and the file quarantined ``too_large``. The next file gets a fresh worker.

The worker is a fork of the extracting process (no second interpreter to start, the
dictionary already read), kept for the life of that process (:func:`shared_guard`), so its
caches stay warm from batch to batch as they did in-process. It only extracts: no thread,
DuckDB or Arrow work happens in it. The protocol is a JSON line per job and a pickled record
per reply (a fork of our own process: trusted, and faster than JSON) on pipes of their own;
each job carries the ``XXGK_*`` settings of the moment, so a setting changed after the fork
still applies.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import pickle
import select
import signal
import struct
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any, Final

from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, TOO_LARGE, TOO_SLOW, is_stub_path
from xxgk.extract.agency import Hint, Provenance
from xxgk.extract.record import extract_bytes, extract_file, extract_stub, quarantined_record

_POLL_S: Final = 0.2  # how often the memory of a busy worker is read
_PAGE: Final = os.sysconf("SC_PAGE_SIZE")
_SIZE: Final = struct.Struct("<Q")  # a reply: its length, then the pickled record


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0  # gone, or no /proc: the time cap still holds


class ExtractionGuard:
    """Extracts landed files one at a time in a worker process under the caps of
    ``Limits.from_env()`` (read per file), or of ``limits`` when given."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.fixed_limits = limits
        self._pid: int | None = None
        self._inherited = 0
        self._jobs: IO[bytes] | None = None
        self._replies: IO[bytes] | None = None

    def __enter__(self) -> ExtractionGuard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def limits(self) -> Limits:
        return self.fixed_limits or Limits.from_env()

    def close(self) -> None:
        """Stop the worker (the next file starts a new one)."""
        for stream in (self._jobs, self._replies):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        self._jobs = self._replies = None
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()

    def _reap(self) -> int | None:
        """Wait for the worker to end; its exit code (negative: the signal that ended it)."""
        if self._pid is None:
            return None
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            status = 0
        self._pid = None
        return os.waitstatus_to_exitcode(status)

    def _start(self) -> int:
        _warm_up()
        jobs_r, jobs_w = os.pipe()
        replies_r, replies_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: serve until the jobs pipe closes, never return
            code = 0
            try:
                _close_inherited({jobs_r, replies_w})
                _own_logging()
                with (
                    os.fdopen(jobs_r, "r", encoding="utf-8") as jobs,
                    os.fdopen(replies_w, "wb") as replies,
                ):
                    _serve(jobs, replies)
            except BaseException:  # noqa: BLE001 - the parent sees the pipe close
                code = 1
            finally:
                os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
        os.close(jobs_r)
        os.close(replies_w)
        # the fork starts with this process's pages: only what it adds counts to the cap
        self._inherited = _resident_bytes(os.getpid())
        self._pid = pid
        self._jobs, self._replies = os.fdopen(jobs_w, "wb"), os.fdopen(replies_r, "rb")
        return pid

    def extract(
        self,
        raw_path: Path,
        source: str,
        charset_hint: str | None = None,
        provenance: Provenance | None = None,
        images: Mapping[str, str] | None = None,
        with_images: bool = False,
    ) -> dict[str, Any]:
        """The record of one landed file (a stub, by its place in the raw store, or content);
        a quarantined one when the file broke a limit or the worker died. ``images``: an
        HTML page's ``<img src>`` → the raw store path of that image. ``with_images``: a
        file a person named (``xxgk extract``), never a stub, whose page's pictures are
        read from beside it."""
        limits = self.limits
        pid = self._pid if self._pid is not None else self._start()
        job = {
            "path": str(raw_path),
            "source": source,
            "charset_hint": charset_hint,
            "env": {k: v for k, v in os.environ.items() if k.startswith("XXGK_")},
            # every field, so a field added to Provenance reaches the worker too
            "provenance": None if provenance is None else asdict(provenance),
            "images": dict(images or {}),
            "with_images": with_images,
        }
        assert self._jobs is not None and self._replies is not None
        try:
            self._jobs.write(json.dumps(job, ensure_ascii=False).encode() + b"\n")
            self._jobs.flush()
        except BrokenPipeError:
            return self._died(source)
        problem = _wait(pid, self._replies, limits, self._inherited)
        if problem is not None:
            self.close()
            return quarantined_record(source, "", *problem)
        head = self._replies.read(_SIZE.size)
        body = self._replies.read(_SIZE.unpack(head)[0]) if len(head) == _SIZE.size else b""
        if not body:
            return self._died(source)
        record: dict[str, Any] = pickle.loads(body)  # from our own fork: trusted
        return record

    def _died(self, source: str) -> dict[str, Any]:
        code = self._reap()
        self.close()
        return quarantined_record(
            source, "", DECODE_FAILED, f"the extraction process ended abnormally (exit {code})"
        )


def _wait(pid: int, replies: IO[bytes], limits: Limits, inherited: int) -> tuple[str, str] | None:
    """None once a reply is ready; (reason, message) when a cap was broken first."""
    deadline = time.monotonic() + limits.extract_timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return TOO_SLOW, (
                f"extraction ran past {limits.extract_timeout_s:g} s "
                "(XXGK_EXTRACT_TIMEOUT_S): stopped"
            )
        ready, _, _ = select.select([replies], [], [], min(_POLL_S, left))
        if ready:
            return None
        if _resident_bytes(pid) - inherited > limits.max_extract_memory:
            return TOO_LARGE, (
                f"extraction used over {limits.max_extract_memory} bytes of "
                "memory (XXGK_MAX_EXTRACT_MEMORY): stopped"
            )


_WARM: list[bool] = []


def _warm_up() -> None:
    """Read the dictionary and build the extractor's tables here, once, before the first
    fork: every worker, a replacement after a kill included, then starts with them instead
    of spending seconds of its file's time cap on them (``xxgk extract`` forks from a
    process that has extracted nothing yet)."""
    if not _WARM:
        _WARM.append(True)
        extract_bytes(b"<html><body><p>warm-up</p></body></html>", "warm-up.html")


_SHARED: list[ExtractionGuard] = []


def shared_guard() -> ExtractionGuard:
    """This process's guard: one worker kept from batch to batch (stopped at exit)."""
    if not _SHARED:
        _SHARED.append(ExtractionGuard())
        atexit.register(_SHARED[0].close)
    return _SHARED[0]


def _close_inherited(keep: set[int]) -> None:
    """In the worker, close every descriptor the fork inherited but does not use: a pipe or
    socket of the parent's (a browser driver's, Airflow's task supervisor's) held open here
    would keep the other end from ever seeing it closed, and the parent's wait would hang."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no procfs: the usual range
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor, already closed


def _own_logging() -> None:
    """In the worker, log to stderr only: the parent's handlers may write to a channel a
    fork must not share (Airflow's task log socket), and a lock held by another of the
    parent's threads at the fork would never be released here."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.StreamHandler(sys.stderr))


def _sync_env(settings: dict[str, str]) -> None:
    """The parent's ``XXGK_*`` settings of the moment, in the worker's environment."""
    for name in [k for k in os.environ if k.startswith("XXGK_") and k not in settings]:
        del os.environ[name]
    os.environ.update(settings)


def _serve(jobs: IO[str], replies: IO[bytes]) -> None:
    for line in jobs:
        job = json.loads(line)
        _sync_env(job["env"])
        path, source, known = Path(job["path"]), job["source"], job["provenance"]
        provenance = (
            None
            if known is None
            else Provenance(**{**known, "hints": tuple(Hint(**h) for h in known["hints"])})
        )
        try:
            with_images = bool(job.get("with_images"))
            record = (
                extract_stub(path, source)
                if is_stub_path(path) and not with_images
                else extract_file(
                    path,
                    source,
                    charset_hint=job["charset_hint"],
                    provenance=provenance,
                    with_images=with_images,
                    image_paths={src: Path(p) for src, p in job.get("images", {}).items()},
                )
            )
        except MemoryError:
            record = quarantined_record(source, "", TOO_LARGE, "out of memory while extracting")
        body = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        replies.write(_SIZE.pack(len(body)) + body)
        replies.flush()
