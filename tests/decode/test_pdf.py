"""PDF: tables as pipe rows, text around them, and the ways a PDF cannot be read."""

from __future__ import annotations

import zlib
from typing import Any

import pytest

from tests.support.pdfgen import Image, Span, Table, Text, make_pdf
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.decode.dispatch import decode
from xxgk.decode.pdf import repair_truncated
from xxgk.decode.pdf_layout import Item, append_page, reflow, render

TITLE = Text("2016年度某县水利局政府信息公开工作年度报告")
OLD_TABLE = Table(
    [
        ["统计指标", "单位", "统计数"],
        ["一、主动公开情况", "", ""],
        ["(一)主动公开政府信息数", "条", "645"],
        ["1.政府公报公开政府信息数", "条", ""],
    ]
)


def _reason(data: bytes, limits: Limits | None = None) -> tuple[str, str]:
    with pytest.raises(UnreadableDocument) as err:
        decode(data, "report.pdf", limits=limits)
    return err.value.reason, err.value.message


def test_tables_become_pipe_rows_between_the_text_lines() -> None:
    doc = decode(make_pdf([TITLE, Text("附件：统计表"), OLD_TABLE, Text("单位负责人：张三")]))
    assert doc.container == "pdf"
    assert doc.lines == [
        "2016年度某县水利局政府信息公开工作年度报告",
        "附件：统计表",
        "统计指标 | 单位 | 统计数 |",
        "一、主动公开情况 |  |  |",  # empty cells stay empty cells
        "(一)主动公开政府信息数 | 条 | 645 |",
        "1.政府公报公开政府信息数 | 条 |  |",
        "单位负责人：张三",
    ]


def test_a_table_continues_across_pages_without_page_numbers() -> None:
    rows: list[list[str | Span]] = [[f"第{i}行", "条", str(i)] for i in range(90)]
    doc = decode(make_pdf([TITLE, Table(rows)], page_numbers=True))
    body = [ln for ln in doc.lines if ln.startswith("第")]
    assert body == [f"第{i}行 | 条 | {i} |" for i in range(90)]
    assert not any("- 1 -" in ln or "- 2 -" in ln for ln in doc.lines)


def test_merged_cells_are_emitted_once() -> None:
    table = Table(
        [
            [Span("三、本年度办理结果", rowspan=2), Span("(一)予以公开", colspan=2), "18", "19"],
            ["(二)部分公开", "", "4", ""],
        ]
    )
    doc = decode(make_pdf([TITLE, table]))
    assert doc.lines[1:] == [
        "三、本年度办理结果 | (一)予以公开 | 18 | 19 |",  # the colspan is one cell
        " | (二)部分公开 |  | 4 |  |",  # under the rowspan: an empty cell first
    ]


def test_image_only_pdf_is_read_by_ocr_and_empty_when_it_finds_no_text() -> None:
    reason, message = _reason(make_pdf([Image(), Image()]))
    assert reason == "empty"
    assert "OCR found no text on page(s) [1, 2]" in message


def test_image_only_pdf_past_the_ocr_page_cap_needs_ocr() -> None:
    reason, message = _reason(make_pdf([Image(), Image()]), Limits(ocr_max_pages=1))
    assert reason == "needs_ocr"
    assert "page 2 not read by OCR: past the OCR page cap (1" in message


def test_blank_pdf_is_empty() -> None:
    assert _reason(make_pdf([]))[0] == "empty"


def test_password_protected_pdf_is_encrypted_pdf() -> None:
    assert _reason(make_pdf([TITLE, OLD_TABLE], user_password="secret")) == (
        "encrypted_pdf",
        "the PDF needs a password",
    )


def test_encrypted_pdf_without_a_user_password_is_read() -> None:
    doc = decode(make_pdf([TITLE, OLD_TABLE], user_password=""))
    assert "(一)主动公开政府信息数 | 条 | 645 |" in doc.lines


def test_a_cut_off_download_keeps_the_pages_that_arrived() -> None:
    pages = [TITLE, Table([[f"第{i}行", "条", str(i)] for i in range(120)])]
    data = make_pdf(pages)
    cut = data[: int(len(data) * 0.9)]
    assert repair_truncated(data) is None and repair_truncated(cut) is not None
    doc = decode(cut)
    assert doc.lines[0] == TITLE.text and "第0行 | 条 | 0 |" in doc.lines
    assert doc.notes == ["truncated PDF: only the pages present were read"]


def test_a_pdf_cut_before_its_pages_is_decode_failed() -> None:
    data = make_pdf([TITLE, OLD_TABLE])
    assert _reason(data[:300])[0] == "decode_failed"
    assert _reason(b"%PDF-1.7\n" + b"garbage " * 100)[0] == "decode_failed"


def test_page_cap() -> None:
    data = make_pdf([TITLE, Table([[f"第{i}行", "条", str(i)] for i in range(200)])])
    assert _reason(data, Limits(max_pdf_pages=3)) == ("too_large", "5 pages; the cap is 3")


def test_flate_bomb_is_refused_before_parsing() -> None:
    bomb = zlib.compress(b"\0" * (40 << 20), 9)  # 40 MB of zeros in ~40 KB
    data = make_pdf([TITLE]).replace(b"%%EOF", b"") + (
        b"99 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb)
        + bomb
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    reason, message = _reason(data, Limits(max_pdf_stream_bytes=16 << 20))
    assert reason == "too_large" and "decompression bomb" in message


def test_a_row_cut_by_a_page_break_is_joined_back() -> None:
    items: list[Item] = [
        "三、收到和处理政府信息公开申请情况",
        ["", "(三)不予公开", "2.其他法律行政法规", "0", "1"],
    ]
    append_page(items, [["", "", "禁止公开", "", ""], ["", "", "3.危及“三安全一稳定”", "0", "0"]])
    assert render(items)[1:] == [
        " | (三)不予公开 | 2.其他法律行政法规禁止公开 | 0 | 1 |",
        " |  | 3.危及“三安全一稳定” | 0 | 0 |",
    ]


@pytest.mark.parametrize(
    "first_row",
    [
        ["信息内容", "本年新制作数量", "对外公开总数量"],  # a header repeated on each page
        ["九、政府信息公开会议和培训情况", "——", ""],  # a new numbered row
        ["其他", "0", "0"],  # a row with numbers of its own
    ],
)
def test_rows_at_the_top_of_a_page_that_are_not_continuations(first_row: list[str]) -> None:
    items: list[Item] = [["（四）专项经费", "万元", "4.7"]]
    append_page(items, [first_row])
    assert items == [["（四）专项经费", "万元", "4.7"], first_row]


def _line(
    text: str, x0: float, x1: float, top: float, size: float = 10.0, gap: float = 0.0
) -> dict[str, Any]:
    step = (x1 - x0) / max(len(text), 1)
    chars = [
        {"x0": x0 + i * step, "x1": x0 + (i + 1) * step - gap, "size": size}
        for i in range(len(text))
    ]
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "chars": chars}


def test_wrapped_paragraphs_are_joined_and_nothing_else() -> None:
    lines = [
        _line("全年主动公开政府信息六百四十五条，其中门户网站发布", 50, 545, 100),
        _line("五百条。", 50, 90, 113),  # the rest of the paragraph
        _line("二、依申请公开情况", 50, 140, 140),  # a heading after a paragraph gap
        _line("主动公开政府信息数条六百四十五合计数值", 50, 545, 160, gap=30.0),  # tabular
        _line("其他", 50, 80, 173),
    ]
    out = reflow(lines, 595.0, table_tops=[])
    assert [ln["text"] for ln in out] == [
        "全年主动公开政府信息六百四十五条，其中门户网站发布五百条。",
        "二、依申请公开情况",
        "主动公开政府信息数条六百四十五合计数值",
        "其他",
    ]
    assert len(reflow(lines[:2], 595.0, table_tops=[112.0])) == 2  # a table in between
