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

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from xxgk.core.text import leading_enumerator
from xxgk.decode.document import OcrCell, clean_lines
from xxgk.decode.layout import join_fragments
from xxgk.decode.pdf_layout import Item, is_page_number

if TYPE_CHECKING:
    import numpy.typing as npt

    Grey = npt.NDArray[Any]

_RULE_H: Final = 0.35  # inches: a horizontal ruling is at least this long (no glyph is)
_RULE_V: Final = 0.2  # inches: a vertical ruling segment (a row is taller; a glyph shorter)
_COVERED: Final = 0.5  # share of a grid edge a ruling must cover to separate two slots
_MIN_TABLE: Final = 1.0  # inches: the narrower side of a ruled table at least
_SENTENCE_END: Final = ("。", "！", "？", "；", "：", ".", "!", "?", ";", ":")
_DARK: Final = 160  # grey level below which a pixel is ink (for gaps between cells)
_DIGIT: Final = re.compile(r"[0-9０-９]")
_FIGURE: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_CELL_FIGURE: Final = re.compile(r"^[+\-]?[0-9０-９]+(?:\.[0-9]+)?\D{0,2}$")  # '3', '12件'

_LINE_MAX: Final = 0.25  # inches: ink taller than this in a cell is more than one line
_GLYPH_MIN: Final = 0.05  # inches: ink lower than this is a dash or a speck, not a figure
_DOUBT: Final = 0.9  # a cell read below this confidence, and not as a figure, is read again
_REREAD_MIN: Final = 0.5  # a second reading below this confidence is not taken


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One line of text the engine read: its text, mean character confidence (0–1) and its
    axis-aligned box in the deskewed page image, in pixels at the page's dpi."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(frozen=True, slots=True)
class _Segment:
    lo: float  # start along the segment
    hi: float
    at: float  # its position across (y of a horizontal, x of a vertical)


@dataclass
class _Grid:
    """A ruled table: its row edges ``ys`` and column edges ``xs``, and the rulings."""

    ys: list[float]
    xs: list[float]
    horizontal: list[_Segment]
    vertical: list[_Segment]
    tol: float

    def contains(self, box: OcrBox) -> bool:
        return self.xs[0] <= box.cx <= self.xs[-1] and self.ys[0] <= box.cy <= self.ys[-1]

    def slot(self, box: OcrBox) -> tuple[int, int]:
        i = min(max(bisect_right(self.ys, box.cy) - 1, 0), len(self.ys) - 2)
        j = min(max(bisect_right(self.xs, box.cx) - 1, 0), len(self.xs) - 2)
        return i, j

    def _covered(self, segments: list[_Segment], at: float, lo: float, hi: float) -> bool:
        span = hi - lo
        if span <= 0:
            return True
        run = sum(
            max(0.0, min(s.hi, hi) - max(s.lo, lo)) for s in segments if abs(s.at - at) <= self.tol
        )
        return run >= _COVERED * span

    def split_right(self, i: int, j: int) -> bool:
        """Is slot (i, j) separated from (i, j + 1) by a ruling?"""
        return self._covered(self.vertical, self.xs[j + 1], self.ys[i], self.ys[i + 1])

    def split_below(self, i: int, j: int) -> bool:
        """Is slot (i, j) separated from (i + 1, j) by a ruling?"""
        return self._covered(self.horizontal, self.ys[i + 1], self.xs[j], self.xs[j + 1])


@dataclass
class OcrPage:
    """One page read by OCR: its boxes, its ruled tables, its height (pixels)."""

    page_no: int
    boxes: list[OcrBox]
    grids: list[_Grid]
    height: float
    dpi: int
    slant: float = 0.0  # degrees the page was turned back by
    seconds: float = 0.0
    margin: int = 0  # white border added around the image before reading it (pixels)
    image: Any = None  # the deskewed page as read (grey, rulings erased): cells are cut from it


def _segments(mask: Any, horizontal: bool, min_len: int) -> list[_Segment]:
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, count):
        x, y, w, h = (float(v) for v in stats[k][:4])
        if horizontal and w >= min_len:
            out.append(_Segment(x, x + w, y + h / 2))
        elif not horizontal and h >= min_len:
            out.append(_Segment(y, y + h, x + w / 2))
    return out


def _ink(grey: Grey) -> Grey:
    import cv2

    # against the local background: printed rulings are often light grey (0.5 pt borders
    # render at ~170), which a global threshold loses beside black text
    return cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 25
    )


def _ruling_masks(grey: Grey, dpi: int) -> tuple[Grey, Grey]:
    import cv2
    import numpy as np

    ink = _ink(grey)
    h_len, v_len = max(20, int(dpi * _RULE_H)), max(12, int(dpi * _RULE_V))
    # a ruling left 1-2 px off level by a tilt still reads as one: thicken it first
    thick_h = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    thick_v = cv2.dilate(ink, np.ones((1, 3), np.uint8))
    horiz = cv2.morphologyEx(thick_h, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vert = cv2.morphologyEx(thick_v, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8))
    return horiz, vert


def _is_table(stats: Any, dpi: int) -> bool:
    w, h = int(stats[2]), int(stats[3])
    return min(w, h) >= _MIN_TABLE * dpi * 0.5 and max(w, h) >= _MIN_TABLE * dpi


def erase_rulings(grey: Grey, dpi: int) -> Grey:
    """The page with its tables' rulings painted white: the detector then sees the cells'
    text alone (beside a ruling, a lone ``0`` is missed or the ruling is read as ``|``).
    Only rulings joined into a table are erased: a bold title's strokes are long too."""
    import cv2
    import numpy as np

    horiz, vert = _ruling_masks(grey, dpi)
    both = cv2.bitwise_or(horiz, vert)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    keep = [k for k in range(1, count) if _is_table(stats[k], dpi)]
    if not keep:
        return grey
    mask = cv2.dilate(np.isin(labels, keep).astype(np.uint8), np.ones((3, 3), np.uint8))
    out = grey.copy()
    out[mask > 0] = 255
    return out


def _rulings(grey: Grey, dpi: int) -> tuple[list[_Segment], list[_Segment], list[tuple[int, ...]]]:
    """Horizontal and vertical ruling segments of the page, and the boxes of ruled areas."""
    import cv2
    import numpy as np

    horiz, vert = _ruling_masks(grey, dpi)
    h_len, v_len = max(20, int(dpi * _RULE_H)), max(12, int(dpi * _RULE_V))
    both = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((7, 7), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    areas = [
        tuple(int(v) for v in stats[k][:4]) for k in range(1, count) if _is_table(stats[k], dpi)
    ]
    return _segments(horiz, True, h_len), _segments(vert, False, v_len), areas


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def find_grids(grey: Grey, dpi: int) -> list[_Grid]:
    """The ruled tables of a (deskewed) page image."""
    horizontal, vertical, areas = _rulings(grey, dpi)
    tol = max(3.0, dpi / 40)
    grids = []
    for x, y, w, h in areas:
        hs = [s for s in horizontal if y - tol <= s.at <= y + h + tol and s.lo < x + w and s.hi > x]
        vs = [s for s in vertical if x - tol <= s.at <= x + w + tol and s.lo < y + h and s.hi > y]
        ys, xs = _cluster([s.at for s in hs], tol), _cluster([s.at for s in vs], tol)
        if len(ys) < 2:
            continue
        # a table ruled only across (no side rulings): its sides are its area's
        if not xs or xs[0] > x + 2 * tol:
            xs.insert(0, float(x))
            vs.append(_Segment(float(y), float(y + h), float(x)))
        if xs[-1] < x + w - 2 * tol:
            xs.append(float(x + w))
            vs.append(_Segment(float(y), float(y + h), float(x + w)))
        if len(xs) >= 3:  # a single column is a framed paragraph: read as text
            grids.append(_Grid(ys, xs, hs, vs, tol))
    return grids


def _find(parent: dict[tuple[int, int], tuple[int, int]], s: tuple[int, int]) -> tuple[int, int]:
    while parent[s] != s:
        parent[s] = parent[parent[s]]
        s = parent[s]
    return s


def _anchors(grid: _Grid) -> dict[tuple[int, int], tuple[int, int]]:
    """Each slot → the top-left slot of the merged cell it belongs to."""
    rows, cols = len(grid.ys) - 1, len(grid.xs) - 1
    parent = {(i, j): (i, j) for i in range(rows) for j in range(cols)}
    for i in range(rows):
        for j in range(cols):
            for other, split in (
                ((i, j + 1), j + 1 < cols and not grid.split_right(i, j)),
                ((i + 1, j), i + 1 < rows and not grid.split_below(i, j)),
            ):
                if split:
                    a, b = _find(parent, (i, j)), _find(parent, other)
                    parent[max(a, b)] = min(a, b)
    return {s: _find(parent, s) for s in parent}


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


def _cell_text(boxes: list[OcrBox]) -> str:
    """A ruled cell's text: its lines joined (a number wrapped in a narrow cell is read whole
    again, as from a text layer). Figures the detector found apart on one line ('12' and a
    ruling's shadow read '1') are two readings, not one number: joined by '、', which no
    value reader takes for a number."""
    return join_fragments(
        [("、" if _apart(line) else " ").join(b.text for b in line) for line in _lines(boxes)]
    )


def _apart(line: list[OcrBox]) -> bool:
    return len(line) > 1 and all(_FIGURE.fullmatch(b.text) for b in line)


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
    grid: _Grid, boxes: list[OcrBox], page: OcrPage, cells: list[OcrCell]
) -> list[tuple[list[str], list[_Span]]]:
    """The grid's rows (the text of each cell, as pdfplumber gives a ruled table's), each
    with its cells' left and right edges."""
    anchors = _anchors(grid)
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
                text = _cell_text(found)
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


def _gap_pieces(box: OcrBox, grey: Grey) -> list[tuple[float, float]]:
    """The parts of a detected line between blank gaps wider than a character, each
    trimmed to its ink: cells of a table printed without rulings ('0      0      0' is
    detected as one line and read as '000'). One part when there is no such gap."""
    h, w = grey.shape[:2]
    y0, y1 = max(0, int(box.y0)), min(h, int(box.y1) + 1)
    x0, x1 = max(0, int(box.x0)), min(w, int(box.x1) + 1)
    if y1 - y0 < 4 or x1 - x0 < 2 * (y1 - y0):
        return [(box.x0, box.x1)]
    columns: Any = (grey[y0:y1, x0:x1] < _DARK).any(axis=0)
    inked = [bool(v) for v in columns.tolist()]
    wide = 0.6 * box.height  # a detected box is ~1.5 text heights: this is ~one character
    pad = 0.2 * box.height
    runs: list[list[int]] = []  # [first, last] inked column of each part
    for x, ink in enumerate(inked):
        if not ink:
            continue
        if runs and x - runs[-1][1] - 1 < wide:
            runs[-1][1] = x
        else:
            runs.append([x, x])
    if len(runs) < 2:
        return [(box.x0, box.x1)]
    return [(max(box.x0, x0 + a - pad), min(box.x1, x0 + b + 1 + pad)) for a, b in runs]


def _inked(lo: float, hi: float, box: OcrBox, grey: Grey) -> tuple[float, float] | None:
    """The part of ``box`` between ``lo`` and ``hi`` trimmed to its ink (with a little
    margin); None when no glyph is there: a sliver past a ruling, the ruling's own shadow in
    a JPEG. A column is inked when two of its pixels are dark (one is noise)."""
    h, w = grey.shape[:2]
    y0, y1 = max(0, int(box.y0)), min(h, int(math.ceil(box.y1)))
    x0, x1 = max(0, int(lo)), min(w, int(math.ceil(hi)))
    if y1 <= y0 or x1 <= x0:
        return None
    columns: Any = ((grey[y0:y1, x0:x1] < _DARK).sum(axis=0) >= 2).nonzero()[0]
    if len(columns) < 2:
        return None
    pad = 0.2 * box.height
    return max(lo, x0 + float(columns[0]) - pad), min(hi, x0 + float(columns[-1]) + 1 + pad)


def split_boxes(boxes: list[OcrBox], grids: list[_Grid], grey: Grey) -> list[OcrBox]:
    """Detected text lines cut where they cross a column ruling of a table (the detector
    runs neighbouring cells together, '行政规范性文件 3', once the rulings are erased) or,
    outside ruled tables, a blank gap wider than a character. A piece cut at a ruling is
    trimmed to its ink, and dropped when it has none."""
    out: list[OcrBox] = []
    for box in boxes:
        grid = next((g for g in grids if g.contains(box)), None)
        if grid is None:
            pieces = _gap_pieces(box, grey)
        else:
            i, _ = grid.slot(box)
            cuts = [
                x
                for j, x in enumerate(grid.xs[1:-1])
                if box.x0 + 2 < x < box.x1 - 2 and grid.split_right(i, j)
            ]
            edges = [box.x0, *cuts, box.x1]
            pieces = list(zip(edges, edges[1:], strict=False))
            if cuts:
                pieces = [p for lo, hi in pieces if (p := _inked(lo, hi, box, grey))]
        for lo, hi in pieces:
            if hi - lo >= 0.3 * box.height:  # a sliver past a ruling holds no character
                out.append(OcrBox("", 0.0, lo, box.y0, hi, box.y1))
    return out


@dataclass(frozen=True, slots=True)
class Doubt:
    """A cell of a ruled table worth reading again from its ink: the boxes read in it
    (none when the detector missed its text) and the box of its ink."""

    boxes: tuple[OcrBox, ...]
    ink: OcrBox


def is_figure(text: str) -> bool:
    return _FIGURE.fullmatch(text) is not None


_Rect = tuple[float, float, float, float]


def _cells(grid: _Grid) -> dict[tuple[int, int], _Rect]:
    """Each cell (merged slots as one, by its anchor) → its box between the rulings."""
    out: dict[tuple[int, int], _Rect] = {}
    for (i, j), anchor in _anchors(grid).items():
        x0, y0, x1, y1 = grid.xs[j], grid.ys[i], grid.xs[j + 1], grid.ys[i + 1]
        if anchor in out:
            a, b, c, d = out[anchor]
            x0, y0, x1, y1 = min(a, x0), min(b, y0), max(c, x1), max(d, y1)
        out[anchor] = (x0, y0, x1, y1)
    return out


def _glyphs(grey: Grey, cell: _Rect, inset: int, dpi: int) -> tuple[OcrBox, int] | None:
    """The box around the glyphs inside a cell (its rulings and specks left out), with a
    margin for the recogniser, and the glyphs' height; None when the cell holds none."""
    import cv2

    h, w = grey.shape[:2]
    x0, y0 = max(0, int(cell[0]) + inset), max(0, int(cell[1]) + inset)
    x1, y1 = min(w, int(cell[2]) - inset), min(h, int(cell[3]) - inset)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    mask = (grey[y0:y1, x0:x1] < _DARK).astype("uint8")
    if not mask.any():
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    speck = max(3, round(0.02 * dpi))
    kept = [stats[k] for k in range(1, count) if max(stats[k][2], stats[k][3]) >= speck]
    if not kept:
        return None
    left = min(int(st[0]) for st in kept)
    top = min(int(st[1]) for st in kept)
    right = max(int(st[0] + st[2]) for st in kept)
    bottom = max(int(st[1] + st[3]) for st in kept)
    pad = max(2.0, 0.3 * (bottom - top))
    box = OcrBox(
        "",
        0.0,
        max(cell[0], x0 + left - pad),
        max(cell[1], y0 + top - pad),
        min(cell[2], x0 + right + pad),
        min(cell[3], y0 + bottom + pad),
    )
    return box, bottom - top


def doubtful_cells(grids: list[_Grid], boxes: list[OcrBox], grey: Grey, dpi: int) -> list[Doubt]:
    """The cells of the page's ruled tables to read again from their ink: a cell holding
    one short line of glyphs where the detector found no text (a lone ``0`` beside a
    ruling), or whose text was read with low confidence and is not a figure (``0`` read as
    ``门``, a ruling's shadow read beside it). ``grey`` is the deskewed page without its
    rulings."""
    out: list[Doubt] = []
    for grid in grids:
        anchors = _anchors(grid)
        found: dict[tuple[int, int], list[OcrBox]] = {}
        for box in boxes:
            if grid.contains(box):
                found.setdefault(anchors[grid.slot(box)], []).append(box)
        inset = math.ceil(grid.tol) + 2
        for anchor, cell in _cells(grid).items():
            read = found.get(anchor, [])
            if read and (min(b.confidence for b in read) >= _DOUBT or is_figure(_cell_text(read))):
                continue
            inked = _glyphs(grey, cell, inset, dpi)
            if inked is not None and _GLYPH_MIN * dpi <= inked[1] <= _LINE_MAX * dpi:
                out.append(Doubt(tuple(read), inked[0]))
    return out


def settle_doubts(
    boxes: list[OcrBox], doubts: list[Doubt], readings: list[tuple[str, float]]
) -> list[OcrBox]:
    """``boxes`` with each doubtful cell's boxes replaced by its second reading, where that
    reads a figure with more confidence than the first (the arithmetic checks it later)."""
    drop: set[int] = set()
    added: list[OcrBox] = []
    for doubt, (text, score) in zip(doubts, readings, strict=True):
        if not is_figure(text) or score < _REREAD_MIN:
            continue
        if doubt.boxes and score <= min(b.confidence for b in doubt.boxes):
            continue
        drop.update(id(b) for b in doubt.boxes)
        ink = doubt.ink
        added.append(OcrBox(text, score, ink.x0, ink.y0, ink.x1, ink.y1))
    return [b for b in boxes if id(b) not in drop] + added
