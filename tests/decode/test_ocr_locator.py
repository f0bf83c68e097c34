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


def test_cells_take_the_ocr_cells_they_were_read_from_in_order() -> None:
    from xxgk.decode.document import OcrCell
    from xxgk.extract.ocr_check import attach

    ocr = [
        OcrCell("全年主动公开政府信息531条，本年度共收到申请10", 0.99, 1, (0, 0, 900, 30)),
        OcrCell("行政规范性文件3", 0.98, 1, (0, 50, 200, 80)),
        OcrCell("0", 0.95, 1, (300, 50, 320, 80)),
        OcrCell("10", 0.96, 1, (400, 50, 430, 80)),
        OcrCell("0", 0.94, 2, (500, 50, 520, 80)),
    ]
    cells = [
        {"raw": raw, "locator": f"table 2, row 3, column {n}"}
        for n, raw in enumerate(["3", "0", "", "0"], start=1)
    ]
    attach(cells, ocr)  # type: ignore[arg-type]
    assert [c.get("confidence") for c in cells] == [0.98, 0.95, None, 0.94]
    assert cells[3]["locator"] == "table 2, row 3, column 4, page 2, box 500 50 520 80"
