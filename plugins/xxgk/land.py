"""Landing: copy every inbox file (or fetched URL) into the content-addressed raw store.

The raw store keeps the bytes as ``raw/<sha256[:2]>/<sha256>``; a file is written once and
never modified, so landing the same inbox twice is a no-op and the first-landed time (the
stored file's mtime) stays stable. Identical bytes are stored once whatever their names.

Safety: the destination is derived from the digest only, so no file name (``..``, absolute
paths, odd Unicode, newlines) can steer a write outside the store. Symlinks are followed
only when they stay inside the inbox. Entries that cannot be read safely (a symlink leading
outside, a FIFO, a permission error) are not skipped silently: a small quarantine stub is
landed in their place (``xxgk.decoders.stub``), so they reach the warehouse as quarantined
reports with a reason and the load's count check still holds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from xxgk.decoders import NOT_A_REGULAR_FILE, UNREADABLE_FILE, UNSAFE_PATH
from xxgk.decoders.stub import make_stub

log = logging.getLogger(__name__)
_YEAR_DIR = re.compile(r"^(19|20)\d{2}$")
_CHUNK = 1 << 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LandedFile:
    report_sha256: str
    source_path: str  # relative to the inbox (or the URL of a fetched file)
    raw_path: str  # absolute path in the raw store
    file_name: str
    size_bytes: int
    inbox_year: int | None
    landed_at: str  # ISO timestamp (UTC) of the first landing of these bytes
    url: str | None = None  # fetched files: the URL as listed
    fetched_at: str | None = None  # fetched files: when this response was received (UTC)
    http_status: int | None = None
    charset_hint: str | None = None  # charset of the HTTP Content-Type header
    agency_hint: str | None = None  # from the URL list
    quarantine_reason: str | None = None  # set when a stub was landed instead of content

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class InboxEntry:
    path: Path  # as found under the inbox (may be a symlink)
    problem: str | None = None  # a reason code of xxgk.decoders when it must not be read
    message: str = ""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


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
    """Every non-hidden entry under ``inbox`` in a stable order, with what is wrong with it.

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
        if year is not None and inbox_year(path.relative_to(inbox)) not in (year, None):
            continue
        entry = _classify(path, real_inbox)
        if entry.problem is None and path.is_dir():
            continue
        entries.append(entry)
    return entries


def iter_inbox(inbox: Path, year: int | None = None) -> list[Path]:
    """Report files under ``inbox`` that can be read safely; hidden files are skipped."""
    return [e.path for e in scan_inbox(inbox, year) if e.problem is None]


def _check_store(dest: Path, raw_store: Path) -> None:
    if not _within(Path(os.path.realpath(dest.parent)), Path(os.path.realpath(raw_store))):
        raise RuntimeError(f"raw store folder {dest.parent} leads outside {raw_store}")


def store_stream(fh: IO[bytes], raw_store: Path) -> tuple[str, Path]:
    """Copy a stream into the store while hashing it (one read: the digest always matches
    the stored bytes). Returns (sha256, stored path)."""
    raw_store.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=raw_store, prefix=".landing-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                h.update(chunk)
                out.write(chunk)
        digest = h.hexdigest()
        dest = raw_store / digest[:2] / digest
        dest.parent.mkdir(exist_ok=True)
        _check_store(dest, raw_store)
        if not dest.exists():
            os.chmod(tmp, 0o444)
            os.replace(tmp, dest)  # atomic: a killed landing never leaves a partial file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest, dest


def store_bytes(data: bytes, raw_store: Path) -> tuple[str, Path]:
    import io

    return store_stream(io.BytesIO(data), raw_store)


def _open_regular(path: Path) -> IO[bytes]:
    """Open the real file without following a last-moment symlink or blocking on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(os.path.realpath(path), flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"{path} is not a regular file")
    return os.fdopen(fd, "rb")


def landed_record(digest: str, dest: Path, source: str, name: str, year: int | None,
                  **extra: Any) -> LandedFile:
    st = dest.stat()
    landed_at = datetime.fromtimestamp(st.st_mtime, tz=UTC).replace(tzinfo=None)
    return LandedFile(
        report_sha256=digest, source_path=source, raw_path=str(dest.resolve()),
        file_name=name, size_bytes=st.st_size, inbox_year=year,
        landed_at=landed_at.isoformat(timespec="microseconds"), **extra)


def land_stub(reason: str, message: str, source: str, name: str, raw_store: Path,
              year: int | None = None, **extra: Any) -> LandedFile:
    """Land a quarantine stub for ``source`` (deterministic: the same problem lands once)."""
    details = {k: v for k, v in extra.items() if k in ("url", "http_status")}
    digest, dest = store_bytes(make_stub(reason, message, source, **details), raw_store)
    log.warning("quarantined at landing: %s (%s: %s)", source, reason, message)
    return landed_record(digest, dest, source, name, year, quarantine_reason=reason, **extra)


def _relative(path: Path, inbox: Path) -> Path | None:
    try:
        rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(inbox))
    except ValueError:
        return None
    return None if ".." in rel.parts else rel


def land_file(path: Path, inbox: Path, raw_store: Path) -> LandedFile:
    """Land one inbox file; a path that is not safely inside the inbox lands as a stub."""
    rel = _relative(path, inbox)
    if rel is None:
        return land_stub(UNSAFE_PATH, "path outside the inbox", safe_name(str(path)),
                         safe_name(path.name), raw_store)
    source, name, year = safe_name(rel.as_posix()), safe_name(path.name), inbox_year(rel)
    entry = _classify(path, Path(os.path.realpath(inbox)))
    if entry.problem is not None:
        return land_stub(entry.problem, entry.message, source, name, raw_store, year)
    try:
        with _open_regular(path) as fh:
            digest, dest = store_stream(fh, raw_store)
    except OSError as exc:
        return land_stub(UNREADABLE_FILE, f"{type(exc).__name__}: {exc.strerror or exc}",
                         source, name, raw_store, year)
    return landed_record(digest, dest, source, name, year)


def land_inbox(inbox: Path, raw_store: Path, year: int | None = None) -> list[LandedFile]:
    """Land every entry of ``inbox`` (optionally only ``inbox/<year>/``)."""
    landed = [land_file(e.path, inbox, raw_store) for e in scan_inbox(inbox, year)]
    stubs = sum(1 for f in landed if f.quarantine_reason)
    log.info("landed %d files from %s into %s (%d as quarantine stubs)",
             len(landed), inbox, raw_store, stubs)
    return landed


def land_urls(csv_path: Path, raw_store: Path, settings: Any = None,
              fetcher: Any = None) -> list[LandedFile]:
    """Fetch every URL of a URL list (CSV: url[, agency][, year]) into the raw store.

    See ``xxgk.fetch.land_urls``; failures (404, timeouts, refused) land as stubs.
    """
    from xxgk.fetch import land_urls as _land_urls

    return _land_urls(csv_path, raw_store, settings=settings, fetcher=fetcher)
