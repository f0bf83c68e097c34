"""The images an HTML report page shows, read from beside it on disk (``xxgk extract``).

A page saved with its pictures (``report.html`` + ``report_files/table1.png``) whose tables
are images: the ``<img src>`` paths that stay inside the page's folder, name a regular file
and hold an image are read, so the page's tables can be read by OCR. Never a URL, an
absolute path, or a path leading out of the folder (``..``, a symlink elsewhere).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit

from xxgk.core.limits import Limits

log = logging.getLogger(__name__)
_SRC: Final = re.compile(rb"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_WORD: Final = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
_MAGIC: Final = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")


def img_srcs(data: bytes) -> Iterator[str]:
    """The ``src`` of each ``<img>`` of an HTML page, in page order.

    One pass over ``data``: each ``<img`` tag is searched for its ``src`` up to the tag's
    ``>`` (found once for all the tags before it) and never again, so unterminated ``<img``
    runs cost what reading them once costs (a regular expression reading each tag to the
    end of the page took minutes on 400 KB of them).
    """
    lower = data.lower()
    size = len(lower)
    close = -1  # the first '>' at or after the current tag (size: none left)
    at = lower.find(b"<img")
    while at >= 0:
        after = at + 4
        if after < size and lower[after] in _WORD:  # <imgx: another tag
            at = lower.find(b"<img", after)
            continue
        if close < after:
            found = lower.find(b">", after)
            close = size if found < 0 else found
        m = _SRC.search(data, after, close)
        if m is not None:
            yield (m[1] or m[2] or m[3] or b"").decode("utf-8", "replace").strip()
            resume = m.end()
        elif close == size:
            return  # no src up to the end, with no '>' left: no later tag has one either
        else:
            resume = close + 1
        at = lower.find(b"<img", resume)


def relative_src(src: str) -> str | None:
    """The relative path ``src`` names (unquoted); None for a URL or an absolute path."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return unquote(parts.path)


def read_image(path: Path, limits: Limits) -> bytes | None:
    """The bytes of the image file ``path``; None over the file size cap or not an image."""
    if path.stat().st_size > limits.max_bytes:
        return None
    image = path.read_bytes()
    return image if image.startswith(_MAGIC) else None


def _local(src: str, folder: Path) -> Path | None:
    relative = relative_src(src)
    if relative is None:
        return None
    path = (folder / relative).resolve()
    return path if path.is_relative_to(folder) and path.is_file() else None


def sibling_images(page: Path, data: bytes, limits: Limits) -> dict[str, bytes]:
    """``<img src>`` → bytes for the images of the HTML page ``data`` (read from ``page``)
    found beside it; at most ``ocr_max_pages`` of them, each under the file size cap."""
    if b"<img" not in data and b"<IMG" not in data:
        return {}
    folder = page.resolve().parent
    out: dict[str, bytes] = {}
    for src in img_srcs(data):
        path = _local(src, folder) if src and src not in out else None
        image = None if path is None else read_image(path, limits)
        if image is not None:
            out[src] = image
        if len(out) >= limits.ocr_max_pages:
            break
    return out
