"""Cells of a ruled table read again from their ink, on a page drawn by the test (issue 26).

A degraded scan loses a lone figure beside a ruling (the detector finds no text there) or
reads it as a character (``0`` as ``门``), and a detected line cut at a ruling leaves a
sliver of the ruling's JPEG shadow that reads as ``2``. ``xxgk.decode.ocr_reread`` finds such
cells from the page's pixels and the boxes read; these tests draw the page with OpenCV (no
OCR engine), so they say exactly which cells are read again and what is taken.
"""

from __future__ import annotations

from typing import Any

import pytest

from xxgk.decode.ocr_reread import doubtful_cells, settle_doubts, split_boxes
from xxgk.decode.ocr_rulings import OcrBox, erase_rulings, find_grids

DPI = 200
XS = (100, 400, 550, 700, 850)  # a label column and three value columns
YS = (100, 160, 220, 300)  # three rows; the last is taller (two lines of a label)


def _page() -> Any:
    """A white page with the table's rulings, and figures in some of its cells."""
    import cv2
    import numpy as np

    page = np.full((500, 1000), 255, np.uint8)
    for x in XS:
        cv2.line(page, (x, YS[0]), (x, YS[-1]), 0, 2)
    for y in YS:
        cv2.line(page, (XS[0], y), (XS[-1], y), 0, 2)

    def figure(text: str, x: int, y: int) -> None:
        cv2.putText(page, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)

    figure("0", 460, 145)  # row 1, first value column
    figure("12", 605, 145)  # row 1, second value column
    figure("7", 460, 205)  # row 2, first value column
    figure("3", 760, 245)  # row 3, last value column: two lines of ink, one above
    figure("4", 760, 290)
    return page


@pytest.fixture(scope="module")
def page() -> tuple[Any, Any]:
    """The page's grid and the page without its rulings (what the recogniser reads)."""
    grey = _page()
    (grid,) = find_grids(grey, DPI)
    return grid, erase_rulings(grey, DPI)


def _box(text: str, confidence: float, x0: float, y0: float, x1: float, y1: float) -> OcrBox:
    return OcrBox(text, confidence, x0, y0, x1, y1)


def test_the_grid_is_the_drawn_table(page: tuple[Any, Any]) -> None:
    grid, _ = page
    assert [round(x) for x in grid.xs] == list(XS)
    assert [round(y) for y in grid.ys] == list(YS)


def test_a_figure_the_detector_missed_is_read_again_from_its_ink(page: tuple[Any, Any]) -> None:
    grid, clean = page
    read = [_box("12", 0.99, 600, 115, 650, 150), _box("7", 0.98, 455, 175, 485, 210)]
    doubts = doubtful_cells([grid], read, clean, DPI)
    # the '0' of row 1 has no box; the '12' and '7' were read; the 3-over-4 cell is two lines
    assert len(doubts) == 1
    (doubt,) = doubts
    assert doubt.boxes == ()
    assert 440 <= doubt.ink.x0 < 460 < 480 < doubt.ink.x1 <= 550
    assert 100 < doubt.ink.y0 < 125 and 145 < doubt.ink.y1 < 160


def test_a_cell_read_with_confidence_or_as_a_figure_is_not_read_again(
    page: tuple[Any, Any],
) -> None:
    grid, clean = page
    read = [
        _box("0", 0.62, 455, 115, 485, 150),  # a figure, however unsure: the arithmetic checks
        _box("12", 0.99, 600, 115, 650, 150),
        _box("7", 0.98, 455, 175, 485, 210),
    ]
    assert doubtful_cells([grid], read, clean, DPI) == []


def test_a_figure_misread_as_a_character_is_read_again(page: tuple[Any, Any]) -> None:
    grid, clean = page
    misread = _box("门", 0.41, 455, 115, 485, 150)
    read = [misread, _box("12", 0.99, 600, 115, 650, 150), _box("7", 0.98, 455, 175, 485, 210)]
    (doubt,) = doubtful_cells([grid], read, clean, DPI)
    assert doubt.boxes == (misread,)
    # the second reading is taken when it is a figure read with more confidence
    assert settle_doubts(read, [doubt], [("0", 0.93)])[-1].text == "0"
    assert misread not in settle_doubts(read, [doubt], [("0", 0.93)])
    assert settle_doubts(read, [doubt], [("门", 0.97)]) == read  # not a figure
    assert settle_doubts(read, [doubt], [("0", 0.40)]) == read  # less sure than the first
    missed = doubtful_cells([grid], read[1:], clean, DPI)
    assert settle_doubts(read[1:], missed, [("0", 0.45)]) == read[1:]  # below the floor


def test_a_piece_of_a_line_past_a_ruling_with_no_ink_is_dropped(page: tuple[Any, Any]) -> None:
    grid, clean = page
    # a detected line from the blank right part of the label cell over the '0' beside it
    line = _box("", 0.0, 360, 115, 490, 150)
    pieces = split_boxes([line], [grid], clean)
    assert len(pieces) == 1
    (piece,) = pieces
    assert 400 <= piece.x0 < 460 and 480 < piece.x1 <= 490


# --- a table row cut by a page break, its halves ruled into different numbers of cells ------

# the foot of one page: the last row's label cells, its seven figures and an empty column
LAST_ROW = ["", "（五)不", "1.信访举", *"0000000", ""]
VALUES = [(400 + 60 * k, 460 + 60 * k) for k in range(8)]
LAST_EDGES = [(100, 160), (160, 260), (260, 400), *VALUES]
# the top of the next: the label ends, under fewer column rulings (the first one not found)
FIRST_EDGES = [(100, 260), (260, 400), *VALUES[:7]]


def test_a_row_cut_by_a_page_break_is_joined_by_where_its_cells_stand() -> None:
    from xxgk.decode.ocr_grid import join_cut_row

    items: list[Any] = ["三、收到和处理政府信息公开申请情况", list(LAST_ROW)]
    first = ["予处理", "报投诉类申请", *[""] * 7]
    assert join_cut_row(items, [first, ["", "2.重复申请", *"3000003"]], LAST_EDGES, FIRST_EDGES)
    assert items[1] == ["", "（五)不予处理", "1.信访举报投诉类申请", *"0000000", ""]
    assert items[2][1] == "2.重复申请"


def test_a_cut_row_is_not_joined_when_a_figure_or_an_empty_cell_would_take_text() -> None:
    from xxgk.decode.ocr_grid import join_cut_row

    with_figure = ["予处理", "报投诉类申请", "0", *[""] * 6]  # a figure: a row of its own
    items: list[Any] = [list(LAST_ROW)]
    assert not join_cut_row(items, [with_figure], LAST_EDGES, FIRST_EDGES)
    under_figure = ["", "报投诉类申请", "", "补", *[""] * 5]  # text under a figure's cell
    assert not join_cut_row(items, [under_figure], LAST_EDGES, FIRST_EDGES)
    new_row = ["", "2.重复申请", *[""] * 7]  # an enumerator opens a new row
    assert not join_cut_row(items, [new_row], LAST_EDGES, FIRST_EDGES)
    assert items == [LAST_ROW]
    assert not join_cut_row(items, [list(LAST_ROW)], LAST_EDGES, LAST_EDGES)  # same shape


def test_figures_apart_on_one_line_of_a_cell_are_two_readings_not_one_number() -> None:
    from xxgk.decode.ocr_grid import cell_text
    from xxgk.extract.values import parse_cell

    apart = [_box("12", 0.99, 610, 115, 640, 150), _box("1", 0.05, 652, 115, 662, 150)]
    assert cell_text(apart) == "12、1" and not parse_cell(cell_text(apart)).is_number
    # a number wrapped over two lines of a narrow cell is one number, as from a text layer
    wrapped = [_box("24252.3110", 0.99, 600, 105, 690, 130), _box("82", 0.99, 600, 135, 620, 160)]
    assert parse_cell(cell_text(wrapped)).value == 24252.311082
