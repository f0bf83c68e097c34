"""Landing: copy every inbox file (or fetched URL) into the content-addressed raw store.

The raw store keeps the bytes as ``raw/<sha256[:2]>/<sha256>`` (stubs in ``raw/stubs/``); a
file is written once and never modified, so landing the same inbox twice is a no-op and the
first-landed time (the stored file's mtime) stays stable. Identical bytes are stored once
whatever their names.

Safety: the destination is derived from the digest only, so no file name (``..``, absolute
paths, odd Unicode, newlines) can steer a write outside the store. Symlinks are followed
only when they stay inside the inbox. Entries that cannot be read safely (a symlink leading
outside, a FIFO, a permission error) are not skipped silently: a small quarantine stub is
landed in their place (``xxgk.core.quarantine``), so they reach the warehouse as quarantined
reports with a reason and the load's count check still holds.

Re-runs: hashing every inbox file again is most of a no-change re-run, so the digest of each
file landed before is kept in a small SQLite cache beside the landing manifests
(``<data dir>/landing/sha256-cache.sqlite``), keyed by the file's real path and its
(size, mtime, ctime, inode, device). A file whose stat is unchanged is not read again; any
change to one of them re-hashes it. The cache is only ever a shortcut: a missing, corrupt or
unwritable cache, or a digest whose stored file has gone from the raw store, means hashing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, astuple, dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from xxgk.core.paths import DataDir
from xxgk.core.quarantine import (
    NOT_A_REGULAR_FILE,
    UNREADABLE_FILE,
    UNSAFE_PATH,
    make_stub,
    stub_path,
)

log = logging.getLogger(__name__)
_YEAR_DIR = re.compile(r"^(19|20)\d{2}$")
_CHUNK = 1 << 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TMP_PREFIX = ".landing-"  # a copy in progress in the raw store (renamed when complete)
_CACHE_FLUSH = 5000  # digests written per transaction (a killed landing keeps most of them)
# A file changed less than this before it was hashed is not cached: on a file system with
# coarse timestamps a second write in the same tick could keep size, mtime and ctime (git's
# "racily clean" entries). It is cached by a later landing.
RACY_WINDOW_NS = 2_000_000_000


@dataclass(frozen=True)
class LandedFile:
    report_sha256: str
    source_path: str  # relative to the inbox (or the URL of a fetched file)
    raw_path: str  # absolute path in the raw store
    file_name: str
    size_bytes: int
    inbox_year: int | None
    # ISO timestamp (UTC) of the first landing of these bytes; the load moves it to the
    # landing time when bytes are put back at a path that held other bytes since
    landed_at: str
    url: str | None = None  # fetched files: the URL as listed
    fetched_at: str | None = None  # fetched files: when this response was received (UTC)
    http_status: int | None = None
    charset_hint: str | None = None  # charset of the HTTP Content-Type header
    agency_hint: str | None = None  # from the URL list
    quarantine_reason: str | None = None  # set when a stub was landed instead of content
    # crawled files (xxgk.land.crawl_provenance): ``url`` is the page giving the report
    file_url: str | None = None  # an attachment's own URL, when ``url`` is its cover page
    anchor_text: str | None = None  # of the link the crawl followed to it
    page_title: str | None = None
    breadcrumb: str | None = None  # 当前位置 of the page

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class InboxEntry:
    path: Path  # as found under the inbox (may be a symlink)
    problem: str | None = None  # a reason code of xxgk.core.quarantine when it must not be read
    message: str = ""


@dataclass(frozen=True)
class FileStat:
    """What must be unchanged for a file's cached digest to still hold."""

    size: int
    mtime_ns: int
    ctime_ns: int  # set by the kernel on every write or rename: a restored mtime is caught
    inode: int
    device: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def default_cache_path(raw_store: Path) -> Path:
    """``<data dir>/landing/sha256-cache.sqlite`` for the raw store ``<data dir>/raw``."""
    return DataDir(raw_store.parent).sha_cache


class ShaCache:
    """(real path, size, mtime, ctime, inode, device) → sha256 of files hashed before.

    Read whole when opened, written in batches; every failure (missing, corrupt, locked,
    read-only) is logged and turns the cache into a no-op, so landing falls back to hashing.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        # keys are the real paths' bytes: a file name need not be valid text (os.fsencode)
        self._known: dict[bytes, tuple[FileStat, str]] = {}
        self._pending: dict[bytes, tuple[FileStat, str]] = {}
        self.hits = 0
        if path is not None:
            self._known = self._read(path)

    def _connect(self, path: Path) -> sqlite3.Connection:
        con = sqlite3.connect(path, timeout=30)
        con.execute(
            "CREATE TABLE IF NOT EXISTS files (path BLOB PRIMARY KEY, size INTEGER, "
            "mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER, device INTEGER, "
            "sha256 TEXT)"
        )
        return con

    def _read(self, path: Path) -> dict[bytes, tuple[FileStat, str]]:
        if not path.exists():
            return {}
        try:
            con = self._connect(path)
            try:
                rows = con.execute(
                    "SELECT path, size, mtime_ns, ctime_ns, inode, device, sha256 FROM files"
                ).fetchall()
            finally:
                con.close()
            return {bytes(r[0]): (FileStat(*(int(v) for v in r[1:6])), str(r[6])) for r in rows}
        except (sqlite3.Error, OSError, TypeError, ValueError) as exc:
            log.warning(
                "digest cache %s unreadable (%s): every file is hashed; it is rebuilt", path, exc
            )
            self._discard(path)
            return {}

    def _discard(self, path: Path) -> None:
        try:
            path.unlink()
        except OSError as exc:
            log.warning("digest cache %s cannot be removed (%s): not used", path, exc)
            self.path = None

    def get(self, real_path: str, st: FileStat) -> str | None:
        key = os.fsencode(real_path)
        found = self._pending.get(key) or self._known.get(key)
        if found is None or found[0] != st:
            return None
        self.hits += 1
        return found[1]

    def put(self, real_path: str, st: FileStat, digest: str) -> None:
        key = os.fsencode(real_path)
        if self.path is None or self._known.get(key) == (st, digest):
            return
        self._pending[key] = (st, digest)
        if len(self._pending) >= _CACHE_FLUSH:
            self.flush()

    def flush(self) -> None:
        """Write the digests found since the last flush (one transaction)."""
        if self.path is None or not self._pending:
            return
        rows = [(p, *astuple(st), digest) for p, (st, digest) in self._pending.items()]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = self._connect(self.path)
            try:
                with con:
                    con.executemany(
                        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", rows
                    )
            finally:
                con.close()
        except (sqlite3.Error, OSError) as exc:
            log.warning(
                "digest cache %s not written (%s): the next run hashes again", self.path, exc
            )
            self.path = None
            return
        self._known.update(self._pending)
        self._pending.clear()


def safe_name(name: str) -> str:
    """A file name as valid, printable text: undecodable bytes (a GBK name on a UTF-8 file
    system) are read as GB18030 when they can be, else escaped; control characters are
    escaped."""
    raw = os.fsencode(name)
    for codec in ("utf-8", "gb18030"):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def inbox_year(relative: Path) -> int | None:
    """Year folder of ``inbox/<year>/…`` (any nesting below it), else None."""
    first = relative.parts[0] if len(relative.parts) > 1 else ""
    return int(first) if _YEAR_DIR.match(first) else None


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _classify(path: Path, real_inbox: Path) -> InboxEntry:
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            target = Path(os.path.realpath(path))
            if not _within(target, real_inbox):
                return InboxEntry(path, UNSAFE_PATH, "symlink leading outside the inbox")
            st = path.stat()
    except OSError as exc:
        return InboxEntry(path, UNREADABLE_FILE, f"{type(exc).__name__}: {exc.strerror}")
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        return InboxEntry(path)
    return InboxEntry(path, NOT_A_REGULAR_FILE, "a FIFO, socket or device, not a file")


def _walk(inbox: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            if not name.startswith("."):
                yield Path(root) / name


def scan_inbox(inbox: Path, year: int | None = None) -> list[InboxEntry]:
    """Every non-hidden entry under ``inbox`` (only ``inbox/<year>/`` when ``year`` is given)
    in a stable order, with what is wrong with it.

    Directory symlinks are never descended; one leading outside the inbox is an entry with
    a problem, one inside is skipped (its files are landed through their real path).

    Raises:
        FileNotFoundError: ``inbox`` is not a directory.
    """
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a directory")
    real_inbox = Path(os.path.realpath(inbox))
    entries = []
    for path in sorted(_walk(inbox)):
        # a year's files are its folder's: a file outside every year folder may be any
        # year's report (a 2023 one at the top is not loaded by --year 2022), so only a run
        # of every year loads it
        if year is not None and inbox_year(path.relative_to(inbox)) != year:
            continue
        entry = _classify(path, real_inbox)
        if entry.problem is None and path.is_dir():
            continue
        entries.append(entry)
    return entries


def _check_store(dest: Path, raw_store: Path) -> None:
    if not _within(Path(os.path.realpath(dest.parent)), Path(os.path.realpath(raw_store))):
        raise RuntimeError(f"raw store folder {dest.parent} leads outside {raw_store}")


def store_stream(fh: IO[bytes], raw_store: Path, *, stub: bool = False) -> tuple[str, Path]:
    """Copy a stream into the store while hashing it (one read: the digest always matches
    the stored bytes); ``stub``: into the store's stub area. Returns (sha256, stored path)."""
    raw_store.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=raw_store, prefix=TMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                h.update(chunk)
                out.write(chunk)
        digest = h.hexdigest()
        dest = stub_path(raw_store, digest) if stub else raw_store / digest[:2] / digest
        dest.parent.mkdir(exist_ok=True)
        _check_store(dest, raw_store)
        if not dest.exists():
            os.chmod(tmp, 0o444)
            os.replace(tmp, dest)  # atomic: a killed landing never leaves a partial file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest, dest


def remove_stale_copies(raw_store: Path, min_age_seconds: float) -> list[Path]:
    """Delete the temporary copies killed landings left in ``raw_store``: only those
    untouched for ``min_age_seconds``, so a landing still running keeps its copy."""
    removed: list[Path] = []
    cutoff = time.time() - min_age_seconds
    for path in sorted(raw_store.glob(f"{TMP_PREFIX}*")):
        try:
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed


def store_bytes(data: bytes, raw_store: Path, *, stub: bool = False) -> tuple[str, Path]:
    import io

    return store_stream(io.BytesIO(data), raw_store, stub=stub)


def _open_regular(path: Path | str) -> IO[bytes]:
    """Open the real file without following a last-moment symlink or blocking on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(os.path.realpath(path), flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{path} is not a regular file")
    return os.fdopen(fd, "rb")


@lru_cache(maxsize=512)
def _real_dir(path: str) -> str:
    """Real path of a raw store folder (256 of them; resolving each file's path again is a
    good part of a no-change re-run)."""
    return os.path.realpath(path)


def landed_record(
    digest: str, dest: Path, source: str, name: str, year: int | None, **extra: Any
) -> LandedFile:
    st = dest.stat()
    landed_at = datetime.fromtimestamp(st.st_mtime, tz=UTC).replace(tzinfo=None)
    raw_path = os.path.join(_real_dir(str(dest.parent)), dest.name)  # = dest.resolve()
    return LandedFile(
        report_sha256=digest,
        source_path=source,
        raw_path=raw_path,
        file_name=name,
        size_bytes=st.st_size,
        inbox_year=year,
        landed_at=landed_at.isoformat(timespec="microseconds"),
        **extra,
    )


def land_stub(
    reason: str,
    message: str,
    source: str,
    name: str,
    raw_store: Path,
    year: int | None = None,
    **extra: Any,
) -> LandedFile:
    """Land a quarantine stub for ``source`` (deterministic: the same problem lands once)."""
    details = {k: v for k, v in extra.items() if k in ("url", "http_status")}
    digest, dest = store_bytes(make_stub(reason, message, source, **details), raw_store, stub=True)
    log.warning("quarantined at landing: %s (%s: %s)", source, reason, message)
    return landed_record(digest, dest, source, name, year, quarantine_reason=reason, **extra)


@dataclass(frozen=True)
class _Inbox:
    """The inbox folder, its absolute and its real path (computed once per landing)."""

    path: Path
    absolute: str
    real: Path

    @classmethod
    def of(cls, inbox: Path) -> _Inbox:
        return cls(inbox, os.path.abspath(inbox), Path(os.path.realpath(inbox)))


def _relative(path: Path, inbox: _Inbox) -> Path | None:
    try:
        rel = Path(os.path.abspath(path)).relative_to(inbox.absolute)
    except ValueError:
        return None
    return None if ".." in rel.parts else rel


def _store_file(real: str, raw_store: Path, cache: ShaCache) -> tuple[str, Path]:
    """Store one regular file, or find it stored already through the digest cache.

    The digest is cached only when the file's stat is the same before and after reading
    it and its last change is older than ``RACY_WINDOW_NS``, so a file written to while
    (or just before) it was landed is hashed again next time.
    """
    before = FileStat.of(os.stat(real))
    digest = cache.get(real, before)
    if digest is not None:
        dest = raw_store / digest[:2] / digest
        if dest.is_file():
            return digest, dest
    with _open_regular(real) as fh:
        opened = FileStat.of(os.fstat(fh.fileno()))
        digest, dest = store_stream(fh, raw_store)
        settled = time.time_ns() - max(opened.mtime_ns, opened.ctime_ns) > RACY_WINDOW_NS
        if settled and opened == before == FileStat.of(os.fstat(fh.fileno())):
            cache.put(real, opened, digest)
    return digest, dest


def land_file(
    path: Path, inbox: Path, raw_store: Path, cache: ShaCache | None = None
) -> LandedFile:
    """Land one inbox file; a path that is not safely inside the inbox lands as a stub.

    Args:
        cache: digests of files landed before (``ShaCache``); None hashes the file.
    """
    return _land(path, _Inbox.of(inbox), raw_store, cache or ShaCache(None))


def _land(path: Path, inbox: _Inbox, raw_store: Path, cache: ShaCache) -> LandedFile:
    rel = _relative(path, inbox)
    if rel is None:
        return land_stub(
            UNSAFE_PATH,
            "path outside the inbox",
            safe_name(str(path)),
            safe_name(path.name),
            raw_store,
        )
    source, name, year = safe_name(rel.as_posix()), safe_name(path.name), inbox_year(rel)
    entry = _classify(path, inbox.real)
    if entry.problem is not None:
        return land_stub(entry.problem, entry.message, source, name, raw_store, year)
    try:
        digest, dest = _store_file(os.path.realpath(path), raw_store, cache)
    except OSError as exc:
        return land_stub(
            UNREADABLE_FILE,
            f"{type(exc).__name__}: {exc.strerror or exc}",
            source,
            name,
            raw_store,
            year,
        )
    return landed_record(digest, dest, source, name, year)


def land_inbox(
    inbox: Path,
    raw_store: Path,
    year: int | None = None,
    *,
    use_cache: bool = True,
    cache_path: Path | None = None,
) -> list[LandedFile]:
    """Land every entry of ``inbox`` (optionally only ``inbox/<year>/``).

    Args:
        use_cache: skip reading files whose stat matches the digest cache.
        cache_path: the cache file; ``default_cache_path(raw_store)`` when None.
    """
    cache = ShaCache((cache_path or default_cache_path(raw_store)) if use_cache else None)
    try:
        root = _Inbox.of(inbox)
        landed = [_land(e.path, root, raw_store, cache) for e in scan_inbox(inbox, year)]
    finally:
        cache.flush()
    stubs = sum(1 for f in landed if f.quarantine_reason)
    log.info(
        "landed %d files from %s into %s (%d as quarantine stubs, %d digests cached)",
        len(landed),
        inbox,
        raw_store,
        stubs,
        cache.hits,
    )
    return landed
