"""Plain text and HTML files → lines (HTML tables as pipe rows)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from xxgk.core.charset import decode_text, looks_binary
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import NOT_A_REPORT, TOO_LARGE
from xxgk.decode.document import Document, clean_lines

_HTML_SNIFF = re.compile(r"<\s*(html|body|table|tr|td|div|p|br|head|meta)\b", re.I)
_HTML_NAMES = (".htm", ".html", ".shtml", ".xhtml")  # other pages (.jsp, .php) are sniffed


def looks_like_html(text: str, name: str = "") -> bool:
    if name.lower().endswith(_HTML_NAMES):
        return True
    return len(_HTML_SNIFF.findall(text[:20000])) >= 3


def decode_markup(
    data: bytes,
    name: str,
    limits: Limits,
    charset_hint: str | None = None,
    images: Mapping[str, bytes] | None = None,
) -> Document:
    """Decode a text or HTML payload; ``images``: the files an HTML page's ``<img src>``
    names (landed beside it), read by OCR where they stand.

    Raises:
        UnreadableDocument: ``too_large`` over the text cap, ``not_a_report`` for binary
            content, ``decode_failed`` when no encoding reads it.
    """
    if len(data) > limits.max_text_bytes:
        raise UnreadableDocument(
            TOO_LARGE, f"{len(data)} bytes of text/HTML; the cap is {limits.max_text_bytes}"
        )
    if looks_binary(data):
        raise UnreadableDocument(NOT_A_REPORT, "binary content (control bytes), not text")
    decoded = decode_text(data, charset_hint)
    notes = [f"decoded as {decoded.encoding}"] if "(" in decoded.encoding else []
    if looks_like_html(decoded.text, name):
        from xxgk.decode.html_lines import html_to_lines  # lxml only for HTML input

        pictures = None
        if images:
            from xxgk.decode.scan import Pictures

            pictures = Pictures(images, limits)
        # one clean-up pass over the joined lines
        rendered = html_to_lines(decoded.text, pictures.lines if pictures else None)
        lines = clean_lines("\n".join(rendered)) if rendered else []
        doc = Document(lines, decoded.encoding, "html", notes)
        return pictures.finish(doc) if pictures else doc
    return Document(clean_lines(decoded.text), decoded.encoding, "text", notes)
