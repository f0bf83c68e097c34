"""Scanned copies of reports whose cells are known: printed as a Word document, then imaged.

A known report (``xxgk.synthetic.grids.KnownReport``: the dev truth, a sample) is laid out
as its HTML tables (``xxgk.synthetic.layouts``, merged header cells as the template prints
them) and written as a Word document the way offices make one: A4, ``Table Grid`` tables in
``table_pt`` type (10.5 pt, 五号), rows as tight as the text, columns of equal width, rows
free to break across pages. LibreOffice prints it to PDF; each page is then rendered to an
image at ``dpi``, turned by ``tilt`` degrees and saved as JPEG of ``jpeg`` quality (a
photocopy or a phone scan), and the pages are bound into an image-only PDF.

Deterministic: the same report and settings give the same pixels (python-docx, LibreOffice,
pdfium and Pillow, no randomness). Needs LibreOffice for the print (``make browser``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from tests.support.libreoffice import convert_all
from xxgk.synthetic.grids import KnownReport, grids
from xxgk.synthetic.layouts import render


@dataclass(frozen=True)
class Degradation:
    """How a page is imaged: resolution, turn (degrees, counter-clockwise) and JPEG quality
    (None: lossless)."""

    dpi: int = 150
    tilt: float = 0.6
    jpeg: int | None = 60

    @property
    def name(self) -> str:
        jpeg = f", JPEG {self.jpeg}" if self.jpeg is not None else ""
        return f"{self.dpi} dpi, tilted {self.tilt:g}°{jpeg}"


CLEAN = Degradation(200, 0.0, None)
DEGRADED = Degradation()  # what a photocopied or phone-scanned report looks like


@dataclass
class _Cell:
    rows: int
    cols: int
    text: str = ""


class _Blocks(HTMLParser):
    """A rendered report: its paragraphs and its tables (rows of spanning cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str | list[list[_Cell]]] = []
        self._table: list[list[_Cell]] | None = None
        self._cell: _Cell | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        spans = {k: int(v or 1) for k, v in attrs if k in ("rowspan", "colspan")}
        if tag == "table":
            self._table = []
            self.blocks.append(self._table)
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = _Cell(spans.get("rowspan", 1), spans.get("colspan", 1))
            self._table[-1].append(self._cell)
        elif tag == "br" and self._cell is not None:
            self._cell.text += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        elif self._table is None:
            self.blocks.extend(line.strip() for line in data.splitlines() if line.strip())


def _place(rows: list[list[_Cell]]) -> tuple[list[tuple[int, int, _Cell]], dict[int, int]]:
    """Each cell with its top-left slot in the table's grid; each row's last slot + 1."""
    taken: set[tuple[int, int]] = set()
    out: list[tuple[int, int, _Cell]] = []
    for i, row in enumerate(rows):
        j = 0
        for cell in row:
            while (i, j) in taken:
                j += 1
            out.append((i, j, cell))
            taken.update((i + a, j + b) for a in range(cell.rows) for b in range(cell.cols))
            j += cell.cols
    ends: dict[int, int] = {}
    for i, j in taken:
        ends[i] = max(ends.get(i, 0), j + 1)
    return out, ends


def _placed(rows: list[list[_Cell]]) -> tuple[list[tuple[int, int, _Cell]], int, int]:
    """Each cell with its top-left slot in the table's grid, and the grid's size. A row
    narrower than the table (a caption row, a label whose group columns are absent) has
    its first cell widened to the table's width, as a word processor's table is drawn."""
    _, ends = _place(rows)
    width = max(ends.values())
    for i, row in enumerate(rows):
        if row and ends.get(i, 0) < width:
            row[0].cols += width - ends[i]
    placed, ends = _place(rows)
    return placed, len(rows), max(ends.values())


_FIGURE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_TEXT_MM = 146.4  # A4 less Word's default margins
_LABELS = 0.42  # share of the width the label columns take (when values follow)


def _widths(placed: list[tuple[int, int, _Cell]], width: int) -> list[float]:
    """Each column's share of the text width: the label columns (those left of the first
    column holding a figure) share ``_LABELS``, the value columns the rest."""
    figures = [j for _, j, c in placed if c.cols == 1 and _FIGURE.fullmatch(c.text.strip())]
    first = min(figures, default=0)
    if first == 0:
        return [1 / width] * width
    return [_LABELS / first] * first + [(1 - _LABELS) / (width - first)] * (width - first)


def _add_table(document: Any, block: list[list[_Cell]], table_pt: float, equal: bool) -> None:
    from docx.shared import Mm, Pt

    placed, height, width = _placed(block)
    table = document.add_table(rows=height, cols=width)
    table.style = "Table Grid"
    table.autofit = False
    shares = [1 / width] * width if equal else _widths(placed, width)
    widths = [Mm(_TEXT_MM * share) for share in shares]
    for column, size in zip(table.columns, widths, strict=True):
        column.width = size
    for i, j, cell in placed:
        target = table.cell(i, j)
        if cell.rows > 1 or cell.cols > 1:
            target = target.merge(table.cell(i + cell.rows - 1, j + cell.cols - 1))
        target.text = cell.text.strip()
        for paragraph in target.paragraphs:
            paragraph.paragraph_format.space_after = Pt(0)
            for run in paragraph.runs:
                run.font.size = Pt(table_pt)
    for row in table.rows:  # each cell as wide as the columns it spans (Word's tcW)
        j = 0
        for tc in row._tr.tc_lst:
            tc.width = sum(widths[j : j + tc.grid_span], Mm(0))
            j += tc.grid_span


def report_docx(
    report: KnownReport,
    table_pt: float = 10.5,
    tables: Collection[int] = (),
    *,
    equal_columns: bool = False,
) -> bytes:
    """``report`` as a Word document (tables ``tables`` only when given, by number), its
    label columns wider than its value columns, or all of one width (``equal_columns``:
    a table inserted and filled in as it came, labels wrapped a few characters a line)."""
    import docx
    from docx.shared import Mm, Pt

    parser = _Blocks()
    parser.feed(render(report, "html_rowspan"))
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(31.8)
    section.top_margin = section.bottom_margin = Mm(25.4)
    document.styles["Normal"].font.size = Pt(14)
    numbers = iter(g.table_no for g in grids(report))  # one <table> per grid, in order
    for block in parser.blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif next(numbers) in tables or not tables:
            _add_table(document, block, table_pt, equal_columns)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def print_pdfs(soffice: str, documents: dict[str, bytes], work: Path) -> dict[str, bytes]:
    """Word documents (name → bytes) printed to PDF by LibreOffice, in one run."""
    sources = work / "docx"
    sources.mkdir(parents=True, exist_ok=True)
    for name, data in documents.items():
        (sources / f"{name}.docx").write_bytes(data)
    out = work / "pdf"
    convert_all(soffice, [sources / f"{name}.docx" for name in documents], "pdf", out)
    return {name: (out / f"{name}.pdf").read_bytes() for name in documents}


def scan_pdf(pdf: bytes, how: Degradation, pages: Sequence[int] = ()) -> tuple[bytes, int]:
    """``pdf``'s pages (``pages``, 1-based, when given) imaged ``how`` into an image-only
    PDF at that resolution; and the number of pages."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    images = []
    for n in pages or range(1, len(doc) + 1):
        image = doc[n - 1].render(scale=how.dpi / 72).to_pil().convert("RGB")
        if how.tilt:
            image = image.rotate(how.tilt, resample=Image.Resampling.BICUBIC, fillcolor="white")
        if how.jpeg is not None:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=how.jpeg)
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        images.append(image)
    doc.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=how.dpi)
    return out.getvalue(), len(images)
