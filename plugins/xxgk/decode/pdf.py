"""PDF → lines: ruled tables as pipe rows, the text around them as lines, in page order.

pdfplumber finds the tables: one pipe row per table row, merged cells emitted once (a
colspan as one cell, like HTML; the rows under a rowspan start with an empty cell), blank
cells kept as empty cells; a table continuing on the next page simply continues. Page numbers in the
header/footer band are dropped, so they never land inside a table that spans pages. A
cut-off download is closed with a trailer so the pages that arrived are read. When pdfminer
cannot parse a damaged file, pdfium's more forgiving parser supplies plain text.
Before either parser runs, every stream is decoded once through its filter chain with a cap
(decompression bombs, also behind ASCIIHex/ASCII85), and the page count is capped.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import zlib
from collections.abc import Sequence
from typing import Any

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, EMPTY, ENCRYPTED_PDF, NEEDS_OCR, TOO_LARGE
from xxgk.decode.document import Document, clean_lines
from xxgk.decode.pdf_layout import Item, append_page, page_items, render

log = logging.getLogger(__name__)
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_CHUNK = 1 << 20
_CID = re.compile(r"\(cid:\d+\)")
_DICT_WINDOW = 4096  # how far before 'stream' its dictionary is looked for
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")


def _inflate(segment: bytes, cap: int, keep: bool) -> tuple[int, bytes]:
    """(bytes a Flate stream inflates to, counting no further than ``cap + 1``; the output
    itself when ``keep``, for the next filter of a chain)."""
    inflater = zlib.decompressobj()
    total, data, kept = 0, segment, []
    try:
        while data and total <= cap:
            out = inflater.decompress(data, _CHUNK)
            total += len(out)
            if keep:
                kept.append(out)
            data = inflater.unconsumed_tail
            if not out:
                break
    except zlib.error:
        pass  # not Flate, encrypted, or corrupt: the parsers decide
    return total, b"".join(kept)


def _filters(data: bytes, stream_at: int) -> list[bytes] | None:
    """The /Filter chain of the stream starting at ``stream_at`` (from its dictionary, after
    the last ``obj`` before it); None when it cannot be read here (no dictionary in sight,
    an indirect reference)."""
    head = data[max(0, stream_at - _DICT_WINDOW) : stream_at]
    obj = head.rfind(b"obj")
    found = _FILTER.search(head[obj + 3 if obj >= 0 else 0 :])
    if found is None:
        return None if obj < 0 else []
    return _NAME.findall(found.group(1))


def _unwrap(name: bytes, segment: bytes) -> bytes | None:
    """An ASCII filter undone (its output is never larger than its input); None when the
    filter is not one of them or the text is malformed (the parsers decide)."""
    try:
        if name in (b"ASCIIHexDecode", b"AHx"):
            hexed = re.sub(rb"\s", b"", segment.split(b">", 1)[0])
            return bytes.fromhex((hexed + b"0" * (len(hexed) % 2)).decode("ascii"))
        if name in (b"ASCII85Decode", b"A85"):
            return base64.a85decode(
                segment.split(b"~>", 1)[0].removeprefix(b"<~"), ignorechars=b" \t\n\r\x0b\x0c"
            )
    except ValueError:
        return None
    return None


def _decoded_size(segment: bytes, chain: list[bytes] | None, cap: int) -> int:
    """What the stream decodes to through its whole filter chain, counted up to ``cap``.

    ASCIIHex/ASCII85 are undone first (a Flate bomb wrapped in them has no zlib header to
    find), then every Flate stage is counted, and kept for a later stage; a filter read
    nowhere here (images, LZW) ends the count. With no readable chain, a segment that
    starts like zlib is counted as Flate, as before."""
    if chain is None or not chain:
        if segment[:1] and segment[0] & 0x0F == 8:  # zlib header: deflate method
            return _inflate(segment, cap, keep=False)[0]
        return 0
    size = len(segment)
    for i, name in enumerate(chain):
        if name in (b"FlateDecode", b"Fl"):
            size, segment = _inflate(segment, cap, keep=i + 1 < len(chain))
            if size > cap:
                return size
            continue
        unwrapped = _unwrap(name, segment)
        if unwrapped is None:
            return size
        segment, size = unwrapped, len(unwrapped)
    return size


def check_streams(data: bytes, limits: Limits) -> None:
    """Refuse PDFs whose streams decode past the caps (one stream, or all together),
    following each stream's filter chain.

    Raises:
        UnreadableDocument: ``too_large``.
    """
    cap, total = limits.max_pdf_stream_bytes, 0
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        segment = data[m.end() : end if end >= 0 else len(data)]
        size = _decoded_size(segment, _filters(data, m.start()), cap)
        total += size
        if size > cap or total > 4 * cap:
            raise UnreadableDocument(
                TOO_LARGE, f"decompression bomb: a stream decodes past {cap} bytes"
            )


def _has_graphics(page: Any) -> bool:
    return bool(page.images or page.rects or page.curves or page.lines)


class _Pages:
    """The items of a PDF's pages in order: a text layer read by pdfplumber, a page without
    one (a scan) by OCR, made for the first such page: the text path never loads OCR."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data, self.limits = data, limits
        self.items: list[Item] = []
        self.blank: list[int] = []
        self.graphics = False
        self.scans: Any = None

    def add(self, page: Any) -> None:
        if page.chars:
            append_page(self.items, page_items(page))
        elif _has_graphics(page):
            if self.scans is None:
                from xxgk.decode.scan import PdfScans

                self.scans = PdfScans(self.data, self.limits)
            if not self.scans.read(page.page_number, self.items):
                self.blank.append(page.page_number)
                self.graphics = True
        else:
            self.blank.append(page.page_number)

    def document(self, count: int) -> Document:
        scanned = self.scans.scanned if self.scans is not None else None
        try:
            doc = _finish(
                render(self.items),
                self.blank,
                count,
                self.graphics,
                scanned.read if scanned else [],
            )
        except UnreadableDocument as exc:
            if scanned is None or exc.reason != NEEDS_OCR:
                raise
            why = "; ".join(scanned.summary())  # what OCR read, and why it stopped
            raise UnreadableDocument(NEEDS_OCR, f"{exc.message}; {why}") from exc
        if scanned is not None:
            doc.notes[:0] = scanned.summary()
            doc.ocr_cells = scanned.cells
        return doc

    def close(self) -> None:
        if self.scans is not None:
            self.scans.close()


def _read_pages(pdf: Any, limits: Limits, data: bytes) -> Document:
    count = len(pdf.pages)
    if count == 0:
        raise UnreadableDocument(DECODE_FAILED, "the PDF has no pages")
    if count > limits.max_pdf_pages:
        raise UnreadableDocument(TOO_LARGE, f"{count} pages; the cap is {limits.max_pdf_pages}")
    pages = _Pages(data, limits)
    try:
        for page in pdf.pages:
            pages.add(page)
            page.close()
    finally:
        pages.close()
    return pages.document(count)


def _finish(
    lines: list[str], blank: list[int], count: int, graphics: bool, ocr_read: Sequence[int] = ()
) -> Document:
    text = "".join(lines)
    if not text.strip():
        if ocr_read and not graphics:
            raise UnreadableDocument(
                EMPTY, f"no text layer, and OCR found no text on page(s) {list(ocr_read)}"
            )
        if graphics:
            raise UnreadableDocument(
                NEEDS_OCR, f"no text layer on any of {count} page(s): scanned or image-only"
            )
        raise UnreadableDocument(EMPTY, f"{count} blank page(s)")
    cids = len(_CID.findall(text))
    if cids * 8 > len(text) // 2:
        raise UnreadableDocument(
            NEEDS_OCR, "the text layer has no Unicode mapping ((cid:N) glyphs only)"
        )
    notes = [f"no text on page(s) {blank}"] if blank else []
    return Document(lines, "pdf", "pdf", notes)


def _password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError

    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, PDFEncryptionError) or any(
            isinstance(a, PDFEncryptionError) for a in seen.args
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _read_with_pdfium(data: bytes, limits: Limits) -> Document:
    """Plain text through pdfium (no tables), for files pdfminer cannot parse."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument(ENCRYPTED_PDF, "the PDF needs a password") from exc
        raise UnreadableDocument(DECODE_FAILED, f"unreadable PDF: {exc}") from exc
    try:
        count = len(pdf)
        if count > limits.max_pdf_pages:
            raise UnreadableDocument(TOO_LARGE, f"{count} pages; the cap is {limits.max_pdf_pages}")
        lines: list[str] = []
        blank: list[int] = []
        for i in range(count):
            textpage = pdf[i].get_textpage()
            page_text = textpage.get_text_bounded()
            lines.extend(clean_lines(page_text))
            if not page_text.strip():
                blank.append(i + 1)
        if count == 0:
            raise UnreadableDocument(DECODE_FAILED, "the PDF has no pages")
        doc = _finish(lines, blank, count, graphics=True)
        doc.notes.append("read by pdfium after pdfminer failed: tables are plain text")
        return doc
    finally:
        pdf.close()


_CATALOG = re.compile(rb"(\d+)\s+0\s+obj\s*<<\s*/Type\s*/Catalog\b")


def repair_truncated(data: bytes) -> bytes | None:
    """A cut-off download (no trailer at the end) closed with a trailer naming its
    catalog, so pdfminer's object scan can read the pages that arrived; None if not cut."""
    if b"%%EOF" in data[-2048:]:
        return None
    catalog = _CATALOG.search(data)
    if catalog is None:
        return None
    return data + (
        b"\nendstream\nendobj\ntrailer\n<< /Root " + catalog.group(1) + b" 0 R >>\n%%EOF\n"
    )


def _read_with_pdfminer(data: bytes, limits: Limits) -> Document:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return _read_pages(pdf, limits, data)


def decode_pdf(data: bytes, limits: Limits) -> Document:
    """Decode a PDF.

    Raises:
        UnreadableDocument: ``encrypted_pdf``, ``needs_ocr``, ``too_large``, ``empty`` or
            ``decode_failed``.
    """
    check_streams(data, limits)
    try:
        return _read_with_pdfminer(data, limits)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        if _password_error(exc):
            raise UnreadableDocument(ENCRYPTED_PDF, "the PDF needs a password") from exc
        log.warning(
            "pdfminer failed (%s: %s); tables will be read as plain text", type(exc).__name__, exc
        )
    repaired = repair_truncated(data)
    if repaired is not None:
        try:
            doc = _read_with_pdfminer(repaired, limits)
        except Exception as exc:  # still unreadable: pdfium has the last word
            log.info("truncated PDF not repaired (%s: %s)", type(exc).__name__, exc)
        else:
            doc.notes.append("truncated PDF: only the pages present were read")
            return doc
    return _read_with_pdfium(data, limits)
