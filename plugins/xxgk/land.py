"""Landing: copy every inbox file into the content-addressed raw store. No parsing here.

The raw store keeps the bytes as ``raw/<sha256[:2]>/<sha256>``; a file is written once and
never modified, so landing the same inbox twice is a no-op and the first-landed time (the
stored file's mtime) stays stable.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_YEAR_DIR = re.compile(r"^(19|20)\d{2}$")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LandedFile:
    report_sha256: str
    source_path: str  # relative to the inbox
    raw_path: str  # absolute path in the raw store
    file_name: str
    size_bytes: int
    inbox_year: int | None
    landed_at: str  # ISO timestamp (UTC) of the first landing of these bytes

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def inbox_year(relative: Path) -> int | None:
    """Year folder of ``inbox/<year>/…`` (any nesting below it), else None."""
    first = relative.parts[0] if len(relative.parts) > 1 else ""
    return int(first) if _YEAR_DIR.match(first) else None


def iter_inbox(inbox: Path, year: int | None = None) -> list[Path]:
    """Report files under ``inbox`` in a stable order; hidden files are skipped."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a directory")
    files = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if year is not None and inbox_year(rel) not in (year, None):
            continue
        files.append(path)
    return files


def _store(src: Path, digest: str, raw_store: Path) -> Path:
    dest = raw_store / digest[:2] / digest
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".landing-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.chmod(tmp, 0o444)
        os.replace(tmp, dest)  # atomic: a killed landing never leaves a partial file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def land_file(path: Path, inbox: Path, raw_store: Path) -> LandedFile:
    digest = sha256_file(path)
    dest = _store(path, digest, raw_store)
    rel = path.relative_to(inbox)
    landed_at = datetime.fromtimestamp(dest.stat().st_mtime, tz=UTC).replace(tzinfo=None)
    return LandedFile(
        report_sha256=digest,
        source_path=rel.as_posix(),
        raw_path=str(dest.resolve()),
        file_name=path.name,
        size_bytes=dest.stat().st_size,
        inbox_year=inbox_year(rel),
        landed_at=landed_at.isoformat(timespec="microseconds"),
    )


def land_inbox(inbox: Path, raw_store: Path, year: int | None = None) -> list[LandedFile]:
    """Land every report file of ``inbox`` (optionally only ``inbox/<year>/``)."""
    landed = [land_file(p, inbox, raw_store) for p in iter_inbox(inbox, year)]
    log.info("landed %d files from %s into %s", len(landed), inbox, raw_store)
    return landed
