"""An OCR'd cell's locator (page and box after the position) is read as its position by the
load, and shown with its page and confidence by the reviewer."""

from __future__ import annotations

from xxgk.extract.batches import _position
from xxgk.publish.reviewer.agency_page import _where

OCR_LOCATOR = "table 3, row 12, column 7, page 2, box 1043 572 1063 601"


def test_the_load_reads_the_position_of_an_ocr_locator() -> None:
    assert _position(OCR_LOCATOR) == (3, 12, 7)
    assert _position("table 3, row 12, column 7") == (3, 12, 7)


def test_the_reviewer_shows_the_page_and_confidence_of_an_ocr_cell() -> None:
    shown = _where(OCR_LOCATOR, 0.9731)
    assert "表3 行12 列7" in shown and "第2页 OCR 0.97" in shown
    assert f'title="{OCR_LOCATOR}"' in shown
    assert _where("table 3, row 12, column 7", None).endswith("表3 行12 列7</span>")
