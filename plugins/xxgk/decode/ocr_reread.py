"""Cells of a scanned table read a second time: a detected line cut where it crosses a column
ruling or a blank gap wider than a character (the detector runs neighbouring cells
together), and the cells whose first reading is doubtful (no text found where there is ink,
or low confidence and not a figure) cut from their ink to be recognised again. The second
reading replaces the first only when it is a figure read with more confidence; the
arithmetic checks it later like any other value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from xxgk.decode.ocr_grid import cell_text, is_figure
from xxgk.decode.ocr_rulings import Grid, OcrBox, cell_anchors

if TYPE_CHECKING:
    import numpy.typing as npt

    Grey = npt.NDArray[Any]

_DARK: Final = 160  # grey level below which a pixel is ink (for gaps between cells)
_LINE_MAX: Final = 0.25  # inches: ink taller than this in a cell is more than one line
_GLYPH_MIN: Final = 0.05  # inches: ink lower than this is a dash or a speck, not a figure
_DOUBT: Final = 0.9  # a cell read below this confidence, and not as a figure, is read again
_REREAD_MIN: Final = 0.5  # a second reading below this confidence is not taken


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


def split_boxes(boxes: list[OcrBox], grids: list[Grid], grey: Grey) -> list[OcrBox]:
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


_Rect = tuple[float, float, float, float]


def _cells(grid: Grid) -> dict[tuple[int, int], _Rect]:
    """Each cell (merged slots as one, by its anchor) → its box between the rulings."""
    out: dict[tuple[int, int], _Rect] = {}
    for (i, j), anchor in cell_anchors(grid).items():
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


def doubtful_cells(grids: list[Grid], boxes: list[OcrBox], grey: Grey, dpi: int) -> list[Doubt]:
    """The cells of the page's ruled tables to read again from their ink: a cell holding
    one short line of glyphs where the detector found no text (a lone ``0`` beside a
    ruling), or whose text was read with low confidence and is not a figure (``0`` read as
    ``门``, a ruling's shadow read beside it). ``grey`` is the deskewed page without its
    rulings."""
    out: list[Doubt] = []
    for grid in grids:
        anchors = cell_anchors(grid)
        found: dict[tuple[int, int], list[OcrBox]] = {}
        for box in boxes:
            if grid.contains(box):
                found.setdefault(anchors[grid.slot(box)], []).append(box)
        inset = math.ceil(grid.tol) + 2
        for anchor, cell in _cells(grid).items():
            read = found.get(anchor, [])
            if read and (min(b.confidence for b in read) >= _DOUBT or is_figure(cell_text(read))):
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
