"""An HTML page and the pictures it shows, landed side by side: read as one report.

A page saved with its pictures (``report.html`` + ``report_files/table1.png``), or crawled
with them, lands as separate files of the raw store. Read apart, the page's tables are
missing (they are pictures) and each picture becomes a report of its own with no agency.
So, when the extraction is planned, each landed HTML page is matched with the landed images
its ``<img src>`` names (relative to the page's inbox path, never leaving its folder): the
page is extracted with them (OCR where they stand) and each such image is quarantined
``page_image``, naming its page — a queryable reason, not a lost file.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Final

from xxgk.core.limits import Limits
from xxgk.extract.siblings import img_srcs, relative_src

HTML_SUFFIXES: Final = frozenset({".html", ".htm", ".shtml", ".xhtml"})
IMAGE_SUFFIXES: Final = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}
)
PAGE_IMAGES: Final = "page_images"  # on a page's item: {src: raw path}
PAGE_OF: Final = "page_of"  # on an image's item: the inbox path of the page showing it


def _suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def _target(src: str, folder: str) -> str | None:
    """The inbox path ``src`` names from a page in ``folder``; None off the folder."""
    relative = relative_src(src)
    if relative is None:
        return None
    path = posixpath.normpath(posixpath.join(folder, relative))
    inside = path.startswith(folder + "/") if folder else not path.startswith("..")
    return path if inside else None


def _near(folder: str, folders: set[str]) -> bool:
    """Whether an image was landed in ``folder`` or below it."""
    return not folder or any(f == folder or f.startswith(folder + "/") for f in folders)


def _page_bytes(path: Path, cap: int) -> bytes:
    """The page's bytes; none when unreadable or over the text cap (its extraction
    quarantines it and says why), so planning never reads more than the cap."""
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > cap:
                return b""
            data = fh.read(size + 1)  # read(n) reserves n bytes first: not the whole cap
    except OSError:
        return b""
    return data if len(data) <= cap else b""


def link_page_images(landed: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``landed`` with each HTML page's shown images attached to it (``page_images``) and
    marked on the images (``page_of``). Pages are read only where their folder has images,
    so a landing without pictures costs one pass over the rows."""
    images = {
        str(r["source_path"]): r for r in landed if _suffix(str(r["source_path"])) in IMAGE_SUFFIXES
    }
    if not images:
        return list(landed)
    folders = {posixpath.dirname(p) for p in images}
    limits = Limits.from_env()
    cap = limits.ocr_max_pages
    shown_by: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for row in landed:
        path = str(row["source_path"])
        folder = posixpath.dirname(path)
        if _suffix(path) not in HTML_SUFFIXES or not _near(folder, folders):
            out.append(row)
            continue
        shown: dict[str, str] = {}
        data = _page_bytes(Path(row["raw_path"]), limits.max_text_bytes)
        for src in img_srcs(data):
            target = _target(src, folder)
            if target in images and src not in shown and len(shown) < cap:
                shown[src] = str(images[target]["raw_path"])
                shown_by.setdefault(target, path)
        out.append({**row, PAGE_IMAGES: shown} if shown else row)
    return [
        {**r, PAGE_OF: shown_by[str(r["source_path"])]} if str(r["source_path"]) in shown_by else r
        for r in out
    ]
