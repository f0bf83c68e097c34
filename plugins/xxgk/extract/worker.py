"""Extraction under limits: each landed file is extracted in a worker process, with a wall
time and a memory cap per file.

The decoders cap what they can see coming (bytes, pages, ZIP members, inflated streams), but
some hostile files are only expensive to parse: 300 PDF pages sharing one 5 MB content
stream, filters the stream check does not follow. Such a file must not hold or sink a
batch. :class:`ExtractionGuard` sends one file at a time to a worker (``python -m
xxgk.extract.worker``, started once per batch and again after a kill) and waits for its
record: past ``Limits.extract_timeout_s`` the worker is killed and the file is quarantined
``too_slow``; a worker whose resident memory grows past ``Limits.max_extract_memory`` is
killed and the file quarantined ``too_large``. The batch goes on with a fresh worker.

The protocol is one JSON line per file each way (records are JSON by contract) on a pipe
of their own, so nothing a library prints can corrupt it.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, Final

from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, TOO_LARGE, TOO_SLOW, is_stub_path
from xxgk.extract.agency import Hint, Provenance
from xxgk.extract.record import extract_file, extract_stub, quarantined_record

_POLL_S: Final = 0.2  # how often the memory of a busy worker is read
_PAGE: Final = os.sysconf("SC_PAGE_SIZE")
_STARTUP_S: Final = 300.0  # generous: a busy machine; only a broken install takes this long
_READY: Final = b"ready\n"


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0  # gone, or no /proc: the time cap still holds


class ExtractionGuard:
    """Extracts landed files one at a time in a worker process under ``limits``."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self._proc: subprocess.Popen[bytes] | None = None
        self._replies: IO[bytes] | None = None

    def __enter__(self) -> ExtractionGuard:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None
        if self._replies is not None:
            self._replies.close()
            self._replies = None

    def _start(self) -> subprocess.Popen[bytes]:
        read_fd, write_fd = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "xxgk.extract.worker", str(write_fd)], env=env,
            stdin=subprocess.PIPE, pass_fds=(write_fd,))
        os.close(write_fd)
        self._proc, self._replies = proc, os.fdopen(read_fd, "rb")
        # a file's time starts once the worker is ready (imports and dictionary take seconds);
        # a worker that cannot start (a broken install) ends at once: its pipe closes
        ready, _, _ = select.select([self._replies], [], [], _STARTUP_S)
        if not ready or self._replies.readline() != _READY:
            try:
                code = proc.wait(timeout=5) if ready else None
            except subprocess.TimeoutExpired:
                code = None
            self.close()
            raise RuntimeError("the extraction worker did not start "
                               + (f"(exit {code})" if code is not None else
                                  f"within {_STARTUP_S:g} s"))
        return proc

    def extract(self, raw_path: Path, source: str, charset_hint: str | None = None,
                provenance: Provenance | None = None) -> dict[str, Any]:
        """The record of one landed file (a stub, by its place in the raw store, or content);
        a quarantined one when the file broke a limit or the worker died."""
        proc = self._proc if self._proc is not None else self._start()
        job = {"path": str(raw_path), "source": source, "charset_hint": charset_hint,
               "provenance": None if provenance is None else {
                   "source": provenance.source, "url": provenance.url,
                   "hints": [[h.pattern, h.agency, h.division_code] for h in provenance.hints]}}
        assert proc.stdin is not None and self._replies is not None
        try:
            proc.stdin.write(json.dumps(job, ensure_ascii=False).encode() + b"\n")
            proc.stdin.flush()
        except BrokenPipeError:
            return self._died(source)
        problem = self._wait(proc, self._replies)
        if problem is not None:
            self.close()
            return quarantined_record(source, "", *problem)
        line = self._replies.readline()
        if not line:
            return self._died(source)
        record: dict[str, Any] = json.loads(line)
        return record

    def _wait(self, proc: subprocess.Popen[bytes], replies: IO[bytes]) -> tuple[str, str] | None:
        """None once a reply is ready; (reason, message) when a limit was broken first."""
        deadline = time.monotonic() + self.limits.extract_timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return TOO_SLOW, (f"extraction ran past {self.limits.extract_timeout_s:g} s "
                                  "(XXGK_EXTRACT_TIMEOUT_S): stopped")
            ready, _, _ = select.select([replies], [], [], min(_POLL_S, left))
            if ready:
                return None
            if _resident_bytes(proc.pid) > self.limits.max_extract_memory:
                return TOO_LARGE, (f"extraction used over {self.limits.max_extract_memory} "
                                   "bytes of memory (XXGK_MAX_EXTRACT_MEMORY): stopped")

    def _died(self, source: str) -> dict[str, Any]:
        code = self._proc.wait() if self._proc is not None else None
        self.close()
        return quarantined_record(source, "", DECODE_FAILED,
                                  f"the extraction process ended abnormally (exit {code})")


def _serve(replies: IO[str]) -> None:
    for line in sys.stdin:
        job = json.loads(line)
        path, source, known = Path(job["path"]), job["source"], job["provenance"]
        provenance = None if known is None else Provenance(
            known["source"], known["url"], tuple(Hint(*h) for h in known["hints"]))
        try:
            record = (extract_stub(path, source) if is_stub_path(path)
                      else extract_file(path, source, charset_hint=job["charset_hint"],
                                        provenance=provenance))
        except MemoryError:
            record = quarantined_record(source, "", TOO_LARGE, "out of memory while extracting")
        replies.write(json.dumps(record, ensure_ascii=False) + "\n")
        replies.flush()


def main() -> None:
    """The worker: reads jobs on stdin, writes records to the fd given as argument."""
    from xxgk.dictionary.metrics import raw_dictionary

    replies = os.fdopen(int(sys.argv[1]), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the replies
    raw_dictionary()  # read once before the first file's clock starts
    replies.write(_READY.decode())
    replies.flush()
    _serve(replies)


if __name__ == "__main__":
    main()
