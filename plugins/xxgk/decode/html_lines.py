"""HTML → text lines with every ``<tr>`` rendered as a pipe row.

Cells are emitted as published (no span expansion): a row-spanning label appears once,
in its first row, exactly as in scraped copies of the same page. Nested tables are
rendered after their parent's rows (at any depth) and never flattened into a parent cell.
The parser never touches the network and keeps libxml2's nesting cap (content nested
deeper than 255 elements is dropped by the parser: hostile, never a real report).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml import etree

_SKIP = frozenset({"script", "style", "noscript", "head", "template", "iframe", "object"})
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "section",
        "article",
        "header",
        "footer",
        "title",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "center",
        "dd",
        "dt",
    }
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_WS = re.compile(r"[ \t\u3000\xa0]+")


@lru_cache(maxsize=16384)  # cell texts repeat ('0', '1', the row labels)
def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _cell_text(cell: etree._Element) -> str:
    if not len(cell):  # most cells: text only
        return _clean(cell.text or "")
    parts: list[str] = [cell.text or ""]
    for child in cell:
        if isinstance(child.tag, str) and child.tag not in _SKIP and child.tag != "table":
            parts.append(" ".join(child.itertext()) if child.tag != "br" else " ")
        parts.append(child.tail or "")
    return _clean("".join(parts))


def _table_lines(table: etree._Element, nested: bool) -> list[str]:
    """Pipe rows of ``table``'s own rows (``nested``: it holds other tables, whose rows
    are skipped here)."""
    lines: list[str] = []
    for tr in table.iter("tr"):
        if nested and _nearest_table(tr) is not table:
            continue
        cells = [_cell_text(c) for c in tr.iterchildren("td", "th")]
        if cells:
            lines.append(" | ".join(cells) + " |")
    return lines


def _nested_tables(table: etree._Element) -> list[etree._Element]:
    """Tables whose nearest enclosing table is ``table``."""
    return [t for t in table.iter("table") if t is not table and _nearest_table(t) is table]


def _nearest_table(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


class _Walker:
    """Collects block-level text into lines; tables become pipe rows."""

    def __init__(self, pictures: Callable[[str], list[str]] | None = None) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.pictures = pictures  # an <img>'s src → the lines OCR read in it

    def flush(self) -> None:
        line = _clean("".join(self.buf))
        if line:
            self.lines.append(line)
        self.buf.clear()

    def table(self, node: etree._Element) -> None:
        """The table's rows, then each nested table's (depth first, document order)."""
        self.flush()
        stack = [node]
        while stack:
            table = stack.pop()
            inner = _nested_tables(table)
            self.lines.extend(_table_lines(table, bool(inner)))
            stack.extend(reversed(inner))

    def walk(self, node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "table":
            self.table(node)
        elif tag == "img" and self.pictures is not None:  # a table pasted as an image
            self.flush()
            self.lines.extend(self.pictures(str(node.get("src") or "")))
        elif tag not in _SKIP:
            block = tag in _BLOCK
            if block:
                self.flush()
            self.buf.append(node.text or "")
            for child in node:
                self.walk(child)
            if block:
                self.flush()
        self.buf.append(node.tail or "")


@lru_cache(maxsize=1)
def _parser() -> etree.HTMLParser:
    return etree.HTMLParser(remove_comments=True, no_network=True, recover=True)


def html_to_lines(text: str, pictures: Callable[[str], list[str]] | None = None) -> list[str]:
    """Visible text of an HTML page as lines; tables as pipe rows; with ``pictures``, each
    ``<img>`` outside a table replaced by the lines it gives for the image's ``src``."""
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding decl
    # plain etree elements: lxml.html's element classes cost a Python lookup per node
    root = etree.fromstring(text, _parser())
    if root is None:
        raise etree.ParserError("Document is empty")
    body = root.find("body")
    walker = _Walker(pictures)
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.lines
