"""DOCX → lines: paragraphs and tables in document order, tables as pipe rows.

A merged cell is emitted once. A horizontal merge (``gridSpan``) is one cell, as an HTML
``colspan`` is; the continuation rows of a vertical merge (``vMerge``) get an empty cell,
the shape of scraped copies whose rows under a row-spanning label start with empty cells
(an extra empty cell per colspan would be indistinguishable from a blank value).
Nested tables follow their parent table, as in the HTML renderer.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from lxml import etree

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, UNSUPPORTED_TYPE
from xxgk.decode.document import Document, clean_lines
from xxgk.decode.layout import join_fragments, pipe_row
from xxgk.decode.zipguard import check_xml_parts, member_names, open_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
_RUN_TEXT = {
    f"{_W}t": None,
    f"{_W}tab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
_CONTAINERS = frozenset(
    {
        f"{_W}sdtContent",
        f"{_W}customXml",
        f"{_W}smartTag",
        f"{_W}ins",
        f"{_W}hyperlink",
        f"{_W}fldSimple",
    }
)


def _paragraph_text(p: Any) -> str:
    parts: list[str] = []
    for el in p.iter(*_RUN_TEXT):
        fixed = _RUN_TEXT[el.tag]
        parts.append((el.text or "") if fixed is None else fixed)
    return "".join(parts)


def _val(el: Any, path: str) -> str | None:
    found = el.find(path)
    if found is None:
        return None
    return str(found.get(f"{_W}val", "continue" if path.endswith("vMerge") else "1"))


def _int(text: str | None, default: int) -> int:
    try:
        return max(0, min(int(text or default), 64))
    except ValueError:
        return default


def _cell_lines(tc: Any) -> str:
    paragraphs = [_paragraph_text(p) for p in tc.iter(_P) if _owner(p, _TC) is tc]
    return join_fragments([ln for text in paragraphs for ln in text.split("\n")])


def _owner(node: Any, tag: str) -> Any:
    parent = node.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _row(tr: Any) -> list[str]:
    cells = [""] * _int(_val(tr, f"{_W}trPr/{_W}gridBefore"), 0)
    for tc in tr.iter(_TC):
        if _owner(tc, _TR) is not tr:
            continue
        merged = _val(tc, f"{_W}tcPr/{_W}vMerge") == "continue"
        cells.append("" if merged else _cell_lines(tc))
    return cells


def _table_lines(tbl: Any) -> list[str]:
    """Rows of ``tbl``, then its nested tables (depth first), without recursion."""
    lines: list[str] = []
    stack = [tbl]
    while stack:
        table = stack.pop()
        nested = []
        for tr in table.iter(_TR):
            if _owner(tr, _TBL) is table:
                lines.append(pipe_row(_row(tr)))
        for inner in table.iter(_TBL):
            if inner is not table and _owner(inner, _TBL) is table:
                nested.append(inner)
        stack.extend(reversed(nested))
    return lines


def _blocks(body: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, looking through content controls."""
    stack = list(reversed(list(body)))
    while stack:
        el = stack.pop()
        if el.tag in (_P, _TBL):
            yield el
        elif el.tag == _SDT or el.tag in _CONTAINERS:
            stack.extend(reversed(list(el)))


_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def body_lines(body: Any, images: Images | None = None) -> list[str]:
    """The body's paragraphs and tables as lines; with ``images``, the pictures in its
    paragraphs (tables pasted as images) are read by OCR where they stand."""
    lines: list[str] = []
    for el in _blocks(body):
        if el.tag == _TBL:
            lines.extend(_table_lines(el))
        else:
            lines.extend(clean_lines(_paragraph_text(el)))
            if images is not None:
                for blip in el.iter(_BLIP):
                    lines.extend(images.read(blip.get(_EMBED)))
    return lines


class Images:
    """The pictures of one DOCX, read by OCR on demand (``xxgk.decode.scan``)."""

    def __init__(self, document: Any, limits: Limits) -> None:
        self.part = document.part
        self.limits = limits
        self._scanned: Any = None

    def read(self, rel_id: str | None) -> list[str]:
        from xxgk.decode.scan import Scanned, picture_lines

        part = self.part.related_parts.get(rel_id) if rel_id else None
        blob = getattr(part, "blob", None)
        if not isinstance(blob, bytes):
            return []
        if self._scanned is None:
            self._scanned = Scanned(self.limits, unit="picture")
        return picture_lines(blob, self._scanned)

    def finish(self, doc: Document) -> Document:
        from xxgk.decode.scan import finish

        return finish(self._scanned, doc)


def _document(data: bytes) -> Any:
    import docx  # python-docx; its XML parser does not resolve entities

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:  # a package whose main part is not a Word document
        raise UnreadableDocument(UNSUPPORTED_TYPE, f"not a Word document: {exc}") from exc
    except (KeyError, etree.LxmlError, OSError, EOFError) as exc:
        raise UnreadableDocument(DECODE_FAILED, f"corrupt DOCX: {exc}") from exc


def decode_docx(data: bytes, limits: Limits, container: str = "docx") -> Document:
    """Decode a DOCX file.

    Raises:
        UnreadableDocument: ``too_large`` (bomb), ``unsafe_xml`` (DTD), ``decode_failed``
            (corrupt package), ``unsupported_type`` (not a Word document).
    """
    archive = open_zip(data, limits)
    with archive:
        if "word/document.xml" not in member_names(archive) and not any(
            n.endswith("document.xml") for n in member_names(archive)
        ):
            raise UnreadableDocument(UNSUPPORTED_TYPE, "ZIP package without a Word document")
        check_xml_parts(archive)
        has_pictures = any(n.startswith("word/media/") for n in member_names(archive))
    document = _document(data)
    images = Images(document, limits) if has_pictures else None
    doc = Document(body_lines(document.element.body, images), "docx", container)
    return images.finish(doc) if images is not None else doc
