"""DOCX: paragraphs and tables in order, merged cells once; bombs and DTDs refused."""

from __future__ import annotations

import io

import docx
import pytest

from tests.support.docgen import blocks_to_docx
from tests.support.pdfgen import Span, Table, Text
from tests.support.zipgen import XXE_DOCUMENT, spreadsheet_zip, with_member
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.decode.dispatch import decode

TITLE = "2021年度某市统计局政府信息公开工作年度报告"


def _reason(data: bytes, limits: Limits | None = None) -> tuple[str, str]:
    with pytest.raises(UnreadableDocument) as err:
        decode(data, "report.docx", limits=limits)
    return err.value.reason, err.value.message


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    return blocks_to_docx(
        [
            Text(TITLE),
            Text("二、主动公开政府信息情况"),
            Table(
                [
                    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                    ["规章", "0", "", "0"],
                    ["行政许可", Span("134", colspan=3)],
                ]
            ),
            Text("三、收到和处理政府信息公开申请情况"),
            Table(
                [
                    [Span("三、本年度办理结果", rowspan=2), Span("(一)予以公开", colspan=2), "18"],
                    ["(二)部分公开", "", "4"],
                ]
            ),
            Text("五、存在的主要问题及改进情况"),
        ]
    )


def test_paragraphs_and_tables_in_document_order(report_docx: bytes) -> None:
    doc = decode(report_docx, "report.docx")
    assert (doc.container, doc.encoding) == ("docx", "docx")
    assert doc.lines == [
        TITLE,
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 0 |  | 0 |",  # a blank cell stays an empty cell
        "行政许可 | 134 |",  # a horizontal merge is one cell, like an HTML colspan
        "三、收到和处理政府信息公开申请情况",
        "三、本年度办理结果 | (一)予以公开 | 18 |",
        " | (二)部分公开 |  | 4 |",  # a vertical merge continues as an empty cell
        "五、存在的主要问题及改进情况",
    ]


def test_nested_tables_follow_their_parent_and_cells_join_paragraphs() -> None:
    document = docx.Document()
    document.add_paragraph(TITLE)
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "本年新"
    outer.cell(0, 0).add_paragraph("制作数量")  # a label wrapped over two paragraphs
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内层", "7"
    buf = io.BytesIO()
    document.save(buf)
    assert decode(buf.getvalue(), "nested.docx").lines == [
        TITLE,
        "本年新制作数量 |  |",
        "内层 | 7 |",
    ]


def test_zip_bomb_is_refused_before_parsing(report_docx: bytes) -> None:
    bomb = with_member(report_docx, "word/media/image1.png", zeros_mb=300)
    assert len(bomb) < 1_000_000
    reason, message = _reason(bomb)
    assert reason == "too_large" and "decompression bomb" in message


def test_a_high_ratio_member_is_refused_even_under_the_total_cap(report_docx: bytes) -> None:
    bomb = with_member(report_docx, "word/media/image1.png", zeros_mb=20)
    reason, message = _reason(bomb)
    assert reason == "too_large" and "inflates" in message
    assert decode(bomb, limits=Limits(max_zip_ratio=10_000)).lines[0] == TITLE


def test_too_many_members(report_docx: bytes) -> None:
    assert _reason(report_docx, Limits(max_zip_members=3))[0] == "too_large"


def test_xml_with_a_dtd_is_unsafe(report_docx: bytes) -> None:
    hostile = with_member(report_docx, "word/document.xml", XXE_DOCUMENT)
    reason, message = _reason(hostile)
    assert reason == "unsafe_xml" and "word/document.xml" in message


@pytest.mark.parametrize(
    "codec",
    [
        "utf-16-le",
        "utf-16-be",
        "utf-16",
        "utf-32",
        "utf-32-le",
        "utf-32-be",
        "utf-7",
        "cp500",
        "utf-8-sig",
    ],
)
def test_a_dtd_in_any_xml_encoding_is_unsafe(report_docx: bytes, codec: str) -> None:
    declared = XXE_DOCUMENT.replace(b'encoding="UTF-8"', f'encoding="{codec}"'.encode())
    member = declared.decode("utf-8").encode(codec)
    byte_search = b"<!DOCTYPE" in member or "<!DOCTYPE".encode("utf-16-le") in member
    assert not byte_search or not codec.startswith(("utf-32", "cp"))  # the old check missed
    hostile = with_member(report_docx, "word/document.xml", member)
    reason, message = _reason(hostile)
    assert reason == "unsafe_xml" and "word/document.xml" in message


def test_a_dtd_spelt_in_utf7_is_unsafe(report_docx: bytes) -> None:
    utf7 = XXE_DOCUMENT.replace(b'encoding="UTF-8"', b'encoding="UTF-7"')
    utf7 = utf7.replace(b"<!DOCTYPE", b"+ADw-!DOCTYPE").replace(b"<!ENTITY", b"+ADw-!ENTITY")
    assert b"<!" not in utf7
    assert _reason(with_member(report_docx, "word/document.xml", utf7))[0] == "unsafe_xml"


def test_an_encoding_no_reader_knows_is_unsafe(report_docx: bytes) -> None:
    odd = XXE_DOCUMENT.replace(b'encoding="UTF-8"', b'encoding="x-hostile-7"')
    odd = odd.replace(b"<!DOCTYPE", b"<!doctype").replace(b"<!ENTITY", b"<!entity")
    assert _reason(with_member(report_docx, "word/document.xml", odd))[0] == "unsafe_xml"


def test_truncated_docx_is_decode_failed(report_docx: bytes) -> None:
    assert _reason(report_docx[: len(report_docx) // 2])[0] == "decode_failed"


def test_other_zip_and_ole2_files_are_unsupported() -> None:
    assert _reason(spreadsheet_zip())[0] == "unsupported_type"
    ole2_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "Workbook".encode("utf-16-le")
    assert _reason(ole2_xls) == ("unsupported_type", "a spreadsheet (.xls/.et) is not read")
