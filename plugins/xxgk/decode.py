"""Bytes → text lines. Knows encodings and document containers, not table formats.

HTML tables are rendered as one pipe row per ``<tr>`` (``cell | cell | … |``), so the
table reader sees the same shape whether a report came as HTML or as scraped text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from xxgk.exceptions import UnreadableDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_HTML_SNIFF = re.compile(r"<\s*(html|body|table|tr|td|div|p|br|head|meta)\b", re.I)
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article",
     "header", "footer", "tr", "table", "title", "ul", "ol", "blockquote", "pre", "center"}
)


@dataclass
class Document:
    """A decoded report: its text lines and how it was read."""

    lines: list[str]
    encoding: str
    container: str  # text | html
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def sniff_encoding(data: bytes) -> str:
    """Encoding of a text/HTML payload: BOM, declared charset, strict UTF-8, then GB18030."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    m = _META_CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii").lower() if m else None
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if declared in ("big5", "big5-hkscs"):
        return "big5"
    for name in ("gb18030", "big5"):
        try:
            data.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("decode_failed", "bytes are neither UTF-8, UTF-16, GB18030 nor Big5")


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith((".htm", ".html", ".shtml", ".xhtml")):
        return True
    return len(_HTML_SNIFF.findall(text[:20000])) >= 3


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _looks_binary(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = data[:65536]
    return len(head) - len(head.translate(None, _CONTROL)) > len(head) // 100


def decode(data: bytes, name: str = "") -> Document:
    """Decode a report file's bytes into lines.

    Raises:
        UnreadableDocument: empty input, binary garbage, or an undecodable payload.
    """
    if not data.strip():
        raise UnreadableDocument("empty", "the file is empty")
    if data.startswith(b"%PDF"):
        raise UnreadableDocument("unsupported_type", "PDF input is not read yet (issue 7)")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument("unsupported_type", "Office documents are not read yet (issue 7)")
    if _looks_binary(data):
        raise UnreadableDocument("not_a_report", "binary content (control bytes), not text")
    encoding = sniff_encoding(data)
    text = data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text, name):
        from xxgk.html_lines import html_to_lines  # lxml only for HTML input

        return Document(lines=html_to_lines(text), encoding=encoding, container="html")
    return Document(lines=text.split("\n"), encoding=encoding, container="text")
