"""What a person reads on a generated HTML page: its text and tooltips, not its markup.

Used by the tests that scan every page for Python's ``None`` and floats printed as counts
(``329.0``): SVG coordinates and ``data-*`` attributes may hold floats, text may not.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

LEAKS = re.compile(r"\bNone\b|\bnan\b|(?<![\d.])\d+\.0\b(?!\.\d)")
"""Python's None / NaN, or an integral number printed with ``.0``."""


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts.extend(v for k, v in attrs if k in ("title", "placeholder", "alt") and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    """Text nodes and tooltip/placeholder attributes, in document order."""
    parser = _Visible()
    parser.feed(html)
    return parser.parts


def leaks(page: Path) -> list[str]:
    """The visible strings of ``page`` that show None, NaN or an ``N.0`` count."""
    return [
        part.strip()
        for part in visible_text(page.read_text(encoding="utf-8"))
        if LEAKS.search(part)
    ]
