"""OCR boxes of one page → items in reading order: table rows (lists of cells) and text lines.

The same items the PDF text layer gives (``xxgk.decode.pdf_layout``), so the table reader
aligns a scan with the dictionary exactly as it does a PDF: a ruled table's cells come from
its rulings (found in the deskewed page image), a merged cell is emitted once (a colspan as
one cell, the slots under a rowspan as empty cells, as pdfplumber gives them), a label
wrapped over several lines inside its cell is one cell. Text outside the rulings is grouped
into lines by vertical position, left to right, wrapped paragraphs joined; a table printed
without rulings is such lines, its cells separated by spaces like an unruled PDF table.
A row a page break cuts is joined back by where its cells stand, when the two pages' rulings
split it into different numbers of cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from xxgk.core.text import leading_enumerator
from xxgk.decode.document import OcrCell, clean_lines
from xxgk.decode.layout import join_fragments
from xxgk.decode.ocr_rulings import Grid, OcrBox, cell_anchors
from xxgk.decode.pdf_layout import Item, is_page_number

_SENTENCE_END: Final = ("。", "！", "？", "；", "：", ".", "!", "?", ";", ":")
_DIGIT: Final = re.compile(r"[0-9０-９]")
_FIGURE: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_CELL_FIGURE: Final = re.compile(r"^[+\-]?[0-9０-９]+(?:\.[0-9]+)?\D{0,2}$")  # '3', '12件'


@dataclass
class OcrPage:
    """One page read by OCR: its boxes, its ruled tables, its height (pixels)."""

    page_no: int
    boxes: list[OcrBox]
    grids: list[Grid]
    height: float
    dpi: int
    slant: float = 0.0  # degrees the page was turned back by
    seconds: float = 0.0
    margin: int = 0  # white border added around the image before reading it (pixels)
    image: Any = None  # the deskewed page as read (grey, rulings erased): cells are cut from it


def _lines(boxes: list[OcrBox]) -> list[list[OcrBox]]:
    """Boxes grouped into lines by vertical position, each line left to right."""
    out: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        last = out[-1] if out else None
        if last is not None:
            cy = sum(b.cy for b in last) / len(last)
            if abs(box.cy - cy) <= 0.5 * min(box.height, min(b.height for b in last)):
                last.append(box)
                continue
        out.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in out]


def cell_text(boxes: list[OcrBox]) -> str:
    """A ruled cell's text: its lines joined (a number wrapped in a narrow cell is read whole
    again, as from a text layer). Figures the detector found apart on one line ('12' and a
    ruling's shadow read '1') are two readings, not one number: joined by '、', which no
    value reader takes for a number."""
    return join_fragments(
        [("、" if _apart(line) else " ").join(b.text for b in line) for line in _lines(boxes)]
    )


def _apart(line: list[OcrBox]) -> bool:
    return len(line) > 1 and all(is_figure(b.text) for b in line)


def _ocr_cell(text: str, boxes: list[OcrBox], page: OcrPage) -> OcrCell:
    m = page.margin  # boxes are in the page image with its margin; the cell's are not
    box = (
        max(0, int(min(b.x0 for b in boxes) - m)),
        max(0, int(min(b.y0 for b in boxes) - m)),
        max(0, int(max(b.x1 for b in boxes) - m)),
        max(0, int(max(b.y1 for b in boxes) - m)),
    )
    image = None
    if page.image is not None:  # the cell's crop, as read (with its margin)
        x0, y0 = (max(0, int(min(b.x0 for b in boxes))), max(0, int(min(b.y0 for b in boxes))))
        x1, y1 = int(max(b.x1 for b in boxes)) + 1, int(max(b.y1 for b in boxes)) + 1
        image = page.image[y0:y1, x0:x1].copy()
    return OcrCell(text, min(b.confidence for b in boxes), page.page_no, box, image)


_Span = tuple[float, float]  # a cell's left and right edge in the page image


def _table_rows(
    grid: Grid, boxes: list[OcrBox], page: OcrPage, cells: list[OcrCell]
) -> list[tuple[list[str], list[_Span]]]:
    """The grid's rows (the text of each cell, as pdfplumber gives a ruled table's), each
    with its cells' left and right edges."""
    anchors = cell_anchors(grid)
    texts: dict[tuple[int, int], list[OcrBox]] = {}
    for box in boxes:
        texts.setdefault(anchors[grid.slot(box)], []).append(box)
    rows: list[tuple[list[str], list[_Span]]] = []
    for i in range(len(grid.ys) - 1):
        row: list[str] = []
        spans: list[_Span] = []
        for j in range(len(grid.xs) - 1):
            anchor = anchors[(i, j)]
            if anchor == (i, j):
                found = texts.get(anchor, [])
                text = cell_text(found)
                row.append(text)
                spans.append((grid.xs[j], grid.xs[j + 1]))
                if text:
                    cells.append(_ocr_cell(text, found, page))
            elif anchor[1] == j:
                row.append("")  # under a rowspan: an empty cell, as pdfplumber gives it
                spans.append((grid.xs[j], grid.xs[j + 1]))
            elif spans:  # covered from the left (a colspan): the cell was emitted once already
                spans[-1] = (spans[-1][0], grid.xs[j + 1])
        if any(row):
            rows.append((row, spans))
    return rows


def _line_text(line: list[OcrBox]) -> str:
    """Boxes of one line: a gap of two characters or more separates cells (a space)."""
    out = line[0].text
    for a, b in zip(line, line[1:], strict=False):
        gap = b.x0 - a.x1
        out = f"{out} {b.text}" if gap > 0.4 * a.height else join_fragments([out, b.text])
    return out


def _joins(line: list[OcrBox], nxt: list[OcrBox], left: float, right: float) -> bool:
    """Does ``nxt`` continue the paragraph ``line`` wraps (runs to the right edge, the next
    starts at the left edge right below it, neither has cell gaps)?"""
    h = max(b.height for b in line)
    text = line[-1].text
    slack = (1.5 if text.endswith(_SENTENCE_END) else 3.0) * h
    return (
        len(line) == 1
        and len(nxt) == 1
        and abs(nxt[0].height - h) <= 0.25 * h  # a title in a larger size stands alone
        and line[-1].x1 >= right - slack
        and abs(nxt[0].x0 - left) <= 0.8 * h
        and 0 <= nxt[0].y0 - line[-1].y1 <= 1.2 * h
    )


_Placed = tuple[float, int, list[Item], list[OcrCell]]  # top, table no (-1: text), items


def _text_items(boxes: list[OcrBox], page: OcrPage) -> list[_Placed]:
    """Text outside ruled tables: lines (wrapped paragraphs joined), and the boxes holding
    a digit among them (an unruled table's values, stated numbers), line by line."""
    lines = [
        ln for ln in _lines(boxes) if not is_page_number(_line_text(ln), ln[0].y0, page.height)
    ]
    if not lines:
        return []
    left = min(ln[0].x0 for ln in lines)
    right = max(ln[-1].x1 for ln in lines)
    paragraphs: list[list[list[OcrBox]]] = []
    for line in lines:
        if paragraphs and _joins(paragraphs[-1][-1], line, left, right):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    out: list[_Placed] = []
    for paragraph in paragraphs:
        cells = [
            _ocr_cell(box.text, [box], page)
            for line in paragraph
            for box in line
            if _DIGIT.search(box.text)
        ]
        text = join_fragments([_line_text(line) for line in paragraph])
        out.append((paragraph[0][0].y0, -1, list(clean_lines(text)), cells))
    return out


class PageItems(NamedTuple):
    """One OCR'd page: its items in reading order, the cells read, and the cells' left and
    right edges of its first and last item when they are table rows (None when text)."""

    items: list[Item]
    cells: list[OcrCell]
    first: list[_Span] | None
    last: list[_Span] | None


def page_items(page: OcrPage) -> PageItems:
    """One OCR'd page: its tables' rows and the text around them, top to bottom, and the
    cells read (table cells, and numbers outside rulings) in the same order."""
    placed: dict[int, list[OcrBox]] = {}
    rest: list[OcrBox] = []
    for box in page.boxes:
        k = next((n for n, g in enumerate(page.grids) if g.contains(box)), None)
        if k is None:
            rest.append(box)
        else:
            placed.setdefault(k, []).append(box)
    ordered: list[_Placed] = []
    spans: dict[int, list[_Span]] = {}  # id of a table row → its cells' edges
    for n, grid in enumerate(page.grids):
        cells: list[OcrCell] = []
        rows = _table_rows(grid, placed.get(n, []), page, cells)
        spans.update((id(row), edges) for row, edges in rows)
        ordered.append((grid.ys[0], n, [row for row, _ in rows], cells))
    ordered.extend(_text_items(rest, page))
    ordered.sort(key=lambda item: (item[0], item[1]))
    items = [item for _, _, found, _ in ordered for item in found]
    cells_read = [cell for _, _, _, cells in ordered for cell in cells]
    if not items:
        return PageItems(items, cells_read, None, None)
    return PageItems(items, cells_read, spans.get(id(items[0])), spans.get(id(items[-1])))


def join_cut_row(
    items: list[Item], page: list[Item], last: list[_Span] | None, first: list[_Span] | None
) -> bool:
    """Join a table row cut by a page break whose halves the two pages' rulings split into
    different numbers of cells (a short row at a page's foot shows fewer column rulings):
    each cell of the page's first row takes the previous page's cell above it. Only text
    continues a row so (the labels wrapped over the break), each piece under a cell of text,
    never a figure. True when joined: ``items`` then holds the page, its first row joined."""
    if not items or not page or last is None or first is None:
        return False
    prev, frag = items[-1], page[0]
    if not isinstance(prev, list) or not isinstance(frag, list) or len(prev) == len(frag):
        return False  # same shape: pdf_layout.append_page joins it, cell by cell
    pieces = [(k, text) for k, text in enumerate(frag) if text]
    if not pieces or leading_enumerator(pieces[0][1]) is not None:
        return False
    joined = list(prev)
    taken: set[int] = set()
    for k, text in pieces:
        centre = (first[k][0] + first[k][1]) / 2
        above = [i for i, (lo, hi) in enumerate(last) if lo <= centre <= hi]
        if len(above) != 1 or _CELL_FIGURE.match(text):
            return False
        i = above[0]
        if i in taken or not prev[i] or _CELL_FIGURE.match(prev[i]):
            return False
        taken.add(i)
        joined[i] = join_fragments([prev[i], text])
    items[-1] = joined
    items.extend(page[1:])
    return True


def is_figure(text: str) -> bool:
    return _FIGURE.fullmatch(text) is not None
