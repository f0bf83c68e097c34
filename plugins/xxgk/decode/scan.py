"""Documents read by OCR: image files landed as reports, and the text-less pages of a PDF.

A page image is read by :mod:`xxgk.decode.ocr` and laid out by :mod:`xxgk.decode.ocr_grid`
into the items the PDF text layer gives; pages are joined as PDF pages are (a table row cut
by a page break is joined back). What OCR read is recorded in ``Document.ocr_cells`` so
extraction can check the cells against the table's arithmetic and give them provenance.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import EMPTY, NEEDS_OCR
from xxgk.decode.document import Document, OcrCell
from xxgk.decode.pdf_layout import Item, append_page, render

log = logging.getLogger(__name__)


@dataclass
class Scanned:
    """The pages read by OCR so far: items, cells, and notes of what was not read."""

    limits: Limits
    unit: str = "page"  # what an image is: a page, or a picture inside a document
    items: list[Item] = field(default_factory=list)
    cells: list[OcrCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    read: list[int] = field(default_factory=list)  # page numbers read by OCR
    _budget: Any = None
    _last: tuple[int, Any] | None = None  # the last table row added: (its id, its cells' edges)

    def add_image(self, rgb: Any, page_no: int, dpi: int, items: list[Item] | None = None) -> bool:
        """OCR one page image into ``items`` (this object's own when None); False when the
        page cap or time limit left it unread (a note says so)."""
        from xxgk.decode.ocr import OcrBudget, OcrRun, PageTimeout, read_image
        from xxgk.decode.ocr_grid import join_cut_row, page_items

        if self._budget is None:
            self._budget = OcrBudget(self.limits, OcrRun(notes=self.notes))
        if not self._budget.allows(page_no):
            return False
        try:
            page = read_image(rgb, page_no, dpi, self.limits.ocr_page_timeout_s)
        except PageTimeout:
            self._budget.timed_out(page_no)
            return False
        self._budget.add(page)
        found = page_items(page)
        page.image = None  # each cell keeps its own crop of it
        into = self.items if items is None else items
        last = self._last[1] if self._last and into and id(into[-1]) == self._last[0] else None
        if not join_cut_row(into, found.items, last, found.first):
            append_page(into, found.items)
        self._last = (id(into[-1]), found.last) if found.items and found.last else None
        self.cells.extend(found.cells)
        self.read.append(page_no)
        return True

    def summary(self) -> list[str]:
        if not self.read:
            return list(self.notes)
        numbers = ", ".join(map(str, self.read))
        what = "page(s)" if self.unit == "page" else f"{self.unit}(s)"
        return [f"{what} {numbers} read by OCR (no text layer)", *self.notes]


class PdfScans:
    """Text-less pages of one PDF, rendered by pdfium and read by OCR on demand."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.scanned = Scanned(limits)
        self._pdf: Any = None

    def read(self, page_no: int, items: list[Item]) -> bool:
        """OCR page ``page_no`` into ``items``; False if the OCR budget is spent."""
        from xxgk.decode.ocr import RENDER_DPI, render_pdf_page

        if self._pdf is None:
            import pypdfium2 as pdfium

            self._pdf = pdfium.PdfDocument(self.data)
        image = render_pdf_page(self._pdf, page_no, self.scanned.limits)
        return self.scanned.add_image(image, page_no, RENDER_DPI, items)

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def decode_image(data: bytes, kind: str, limits: Limits) -> Document:
    """An image file (PNG, JPEG, GIF, BMP, TIFF, WebP) read by OCR, one page per frame.

    Raises:
        UnreadableDocument: ``decode_failed``, ``too_large``, ``empty`` (OCR found no
            text), ``needs_ocr`` (the OCR budget was spent before any frame was read).
    """
    from xxgk.decode.ocr import image_frames

    scanned = Scanned(limits)
    for page_no, (rgb, dpi) in enumerate(image_frames(data, limits), start=1):
        if not scanned.add_image(rgb, page_no, dpi):
            break
    if not scanned.read:
        raise UnreadableDocument(NEEDS_OCR, "; ".join(scanned.notes) or "no frame was read")
    lines = render(scanned.items)
    if not any(line.strip() for line in lines):
        raise UnreadableDocument(EMPTY, f"an image file ({kind}): OCR found no text in it")
    return Document(lines, kind.lower(), "image", scanned.summary(), scanned.cells)


_MIN_PICTURE = (300, 100)  # pixels: smaller pictures are logos, seals and icons, not tables


def picture_lines(data: bytes, scanned: Scanned) -> list[str]:
    """A picture inside a document (a table pasted as an image) as lines read by OCR; no
    lines for a small picture, an unreadable one, or one past the OCR budget."""
    from xxgk.decode.ocr import image_frames

    try:
        rgb, dpi = next(image_frames(data, scanned.limits))
    except (UnreadableDocument, StopIteration) as exc:
        log.info("picture not read: %s", exc)
        return []
    height, width = rgb.shape[:2]
    if width < _MIN_PICTURE[0] or height < _MIN_PICTURE[1]:
        return []
    items: list[Item] = []
    if not scanned.add_image(rgb, len(scanned.read) + 1, dpi, items):
        return []
    return render(items)


def finish(scanned: Scanned | None, doc: Document) -> Document:
    """``doc`` with what OCR read of its pictures: the notes and the OCR'd cells."""
    if scanned is not None and scanned.read:
        doc.notes.extend(scanned.summary())
        doc.ocr_cells = scanned.cells
    return doc


class Pictures:
    """An HTML page's images (``<img src>`` → the bytes landed beside the page), each read
    by OCR the first time the page shows it."""

    def __init__(self, images: Mapping[str, bytes], limits: Limits) -> None:
        self.images = images
        self.scanned = Scanned(limits, unit="picture")
        self.seen: set[str] = set()

    def lines(self, src: str) -> list[str]:
        data = self.images.get(src)
        if data is None or src in self.seen:
            return []
        self.seen.add(src)
        return picture_lines(data, self.scanned)

    def finish(self, doc: Document) -> Document:
        return finish(self.scanned, doc)
