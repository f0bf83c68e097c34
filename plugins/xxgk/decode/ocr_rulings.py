"""The ruled tables of a scanned page: ruling segments found in the (deskewed) page image,
their grid of row and column edges, and which slots merge into one cell (a colspan or a
rowspan where no ruling separates two slots). Also the page with its rulings erased, so the
text detector sees the cells' text alone. The OCR box every stage of the scan reader shares
is defined here, with the grid it is placed in.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy.typing as npt

    Grey = npt.NDArray[Any]

_RULE_H: Final = 0.35  # inches: a horizontal ruling is at least this long (no glyph is)
_RULE_V: Final = 0.2  # inches: a vertical ruling segment (a row is taller; a glyph shorter)
_COVERED: Final = 0.5  # share of a grid edge a ruling must cover to separate two slots
_MIN_TABLE: Final = 1.0  # inches: the narrower side of a ruled table at least


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
class Segment:
    lo: float  # start along the segment
    hi: float
    at: float  # its position across (y of a horizontal, x of a vertical)


@dataclass
class Grid:
    """A ruled table: its row edges ``ys`` and column edges ``xs``, and the rulings."""

    ys: list[float]
    xs: list[float]
    horizontal: list[Segment]
    vertical: list[Segment]
    tol: float

    def contains(self, box: OcrBox) -> bool:
        return self.xs[0] <= box.cx <= self.xs[-1] and self.ys[0] <= box.cy <= self.ys[-1]

    def slot(self, box: OcrBox) -> tuple[int, int]:
        i = min(max(bisect_right(self.ys, box.cy) - 1, 0), len(self.ys) - 2)
        j = min(max(bisect_right(self.xs, box.cx) - 1, 0), len(self.xs) - 2)
        return i, j

    def _covered(self, segments: list[Segment], at: float, lo: float, hi: float) -> bool:
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


def _segments(mask: Any, horizontal: bool, min_len: int) -> list[Segment]:
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for k in range(1, count):
        x, y, w, h = (float(v) for v in stats[k][:4])
        if horizontal and w >= min_len:
            out.append(Segment(x, x + w, y + h / 2))
        elif not horizontal and h >= min_len:
            out.append(Segment(y, y + h, x + w / 2))
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


def _rulings(grey: Grey, dpi: int) -> tuple[list[Segment], list[Segment], list[tuple[int, ...]]]:
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


def find_grids(grey: Grey, dpi: int) -> list[Grid]:
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
            vs.append(Segment(float(y), float(y + h), float(x)))
        if xs[-1] < x + w - 2 * tol:
            xs.append(float(x + w))
            vs.append(Segment(float(y), float(y + h), float(x + w)))
        if len(xs) >= 3:  # a single column is a framed paragraph: read as text
            grids.append(Grid(ys, xs, hs, vs, tol))
    return grids


def _find(parent: dict[tuple[int, int], tuple[int, int]], s: tuple[int, int]) -> tuple[int, int]:
    while parent[s] != s:
        parent[s] = parent[parent[s]]
        s = parent[s]
    return s


def cell_anchors(grid: Grid) -> dict[tuple[int, int], tuple[int, int]]:
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
