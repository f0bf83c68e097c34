"""Property-based fuzzing: whatever the bytes, decoding raises only ``UnreadableDocument`` with
a known reason, and ``extract_bytes`` returns a contract-valid record.

Runs are deterministic (``derandomize``) and modest; ``XXGK_FUZZ_SCALE=10`` multiplies the
example counts and ``XXGK_FUZZ_RANDOM=1`` draws fresh examples, for a longer local hunt.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from functools import lru_cache
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.docgen import blocks_to_docx, text_blocks
from tests.support.pdfgen import make_pdf
from xxgk.core.charset import decode_text
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.quarantine import REASONS
from xxgk.decode.dispatch import decode
from xxgk.decode.html_lines import html_to_lines
from xxgk.extract import extract_bytes

_SCALE = int(os.environ.get("XXGK_FUZZ_SCALE", "1"))
_FIXED = not os.environ.get("XXGK_FUZZ_RANDOM")  # CI runs the same examples every time
KEYS = {
    "source",
    "sha256",
    "status",
    "format",
    "report_year",
    "agency",
    "admin_level",
    "published_on",
    "cells",
    "narrative",
    "issues",
}
FORMATS = {"old", "v2019", "v2021", "narrative", "unknown"}
LEVELS = {"province", "prefecture", "county", "township", "national", "unknown"}
CONTAINERS = {"text", "html", "pdf", "docx", "doc", "rtf", "odt"}
REPORT = """2016年度某县水利局政府信息公开工作年度报告
一、概述
全年主动公开政府信息645条。
政府信息公开情况统计表
统计指标 | 单位 | 统计数 |
一、主动公开情况 | | |
(一)主动公开政府信息数 | 条 | 645 |
1.政府公报公开政府信息数 | 条 | |
三、依申请公开情况 | | |
(一)收到申请数 | 件 | 5 |
单位负责人：张三"""
TOKENS = [
    "统计指标",
    "单位",
    "统计数",
    "一、主动公开情况",
    "(一)主动公开政府信息数",
    "条",
    "件",
    "本年新收政府信息公开申请数量",
    "自然人",
    "总计",
    "第二十条第(一)项",
    "信息内容",
    "本年新制作数量",
    "行政复议",
    "2020年",
    "年度报告",
    "|",
    "||",
    " ",
    "\n",
    "0",
    "12",
    "-3",
    "+5",
    "1.5万元",
    "—",
    "/",
    "３４",
    "（七）总计",
    "四、结转下年度继续办理",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    "<p>",
    "&nbsp;",
    "\x00",
]


def fuzz(n: int) -> Any:
    return settings(
        max_examples=n * _SCALE,
        deadline=None,
        database=None,
        derandomize=_FIXED,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def assert_contract(record: dict[str, Any]) -> None:
    """The record shape of ../shared/CONTRACT.md."""
    assert KEYS <= record.keys()
    json.dumps(record, ensure_ascii=False)  # JSON-able
    assert record["status"] in {"ok", "partial", "quarantined"}
    assert record["format"] in FORMATS and record["admin_level"] in LEVELS
    issues = record["issues"]
    assert all({"code", "severity", "message"} <= i.keys() for i in issues)
    assert all(i["severity"] in {"error", "warning"} for i in issues)
    has_error = any(i["severity"] == "error" for i in issues)
    if record["status"] == "quarantined":
        assert has_error and not record["cells"]
    elif record["status"] == "partial":
        assert has_error
    for cell in record["cells"]:
        assert {"metric", "value", "raw", "row_label", "column_label", "locator"} <= cell.keys()
        value = cell["value"]
        assert value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    assert record["report_year"] is None or isinstance(record["report_year"], int)
    if record.get("container") is not None:
        assert record["container"] in CONTAINERS


def assert_decodes_or_quarantines(data: bytes, name: str = "") -> None:
    try:
        doc = decode(data, name)
    except UnreadableDocument as exc:
        assert exc.reason in REASONS, exc.reason
        return
    assert doc.container in CONTAINERS
    assert all(isinstance(ln, str) and "\n" not in ln for ln in doc.lines)
    assert any(ln.strip() for ln in doc.lines)


@lru_cache(maxsize=1)
def _seeds() -> dict[str, bytes]:
    blocks = text_blocks(REPORT)
    html = (
        "<html><body>"
        + "".join(
            f"<p>{ln}</p>"
            if "|" not in ln
            else "<table><tr>"
            + "".join(f"<td>{c}</td>" for c in ln.split("|")[:-1])
            + "</tr></table>"
            for ln in REPORT.split("\n")
        )
        + "</body></html>"
    )
    return {
        "pdf": make_pdf(blocks),
        "docx": blocks_to_docx(blocks),
        "html": html.encode("gbk"),
        "txt": REPORT.encode("utf-8"),
    }


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, pos, chunk in edits:
        at = pos % (len(out) + 1)
        if kind == 0:
            out[at : at + len(chunk)] = chunk  # overwrite
        elif kind == 1:
            out[at:at] = chunk  # insert
        else:
            del out[at : at + len(chunk) + 1]  # delete
    return bytes(out)


EDITS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=16)),
    min_size=1,
    max_size=6,
)


@fuzz(150)
@given(st.binary(max_size=4096), st.sampled_from(["", "a.html", "a.pdf", "a.doc", "a.txt"]))
def test_arbitrary_bytes_decode_or_quarantine(data: bytes, name: str) -> None:
    assert_decodes_or_quarantines(data, name)


@fuzz(150)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_give_a_contract_record(data: bytes) -> None:
    assert_contract(extract_bytes(data, "fuzz.bin"))


@fuzz(60)
@given(
    st.sampled_from(
        [
            b"%PDF-1.4\n",
            b"PK\x03\x04",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            b"{\\rtf1",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"XXGK-QUARANTINE-STUB/1\n",
        ]
    ),
    st.binary(max_size=2048),
)
def test_magic_prefixes_with_garbage(magic: bytes, tail: bytes) -> None:
    # RTF / .doc would start LibreOffice (~2 s each): its failures are tested elsewhere
    with mock.patch.dict(os.environ, {"XXGK_SOFFICE": "/nonexistent/soffice"}):
        record = extract_bytes(magic + tail, "fuzz")
    assert_contract(record)


@fuzz(100)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=120),
    st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]),
)
def test_report_like_text_in_any_encoding(tokens: list[str], encoding: str) -> None:
    text = "".join(tokens)
    data = text.encode(encoding, "ignore")
    assert_contract(extract_bytes(data, "fuzz.txt"))
    assert_contract(extract_bytes(data, "fuzz.html"))


@fuzz(100)
@given(st.text(max_size=1500))
def test_arbitrary_text(text: str) -> None:
    record = extract_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.txt")
    assert_contract(record)


@fuzz(40)
@given(st.sampled_from(["pdf", "docx", "html", "txt"]), EDITS)
def test_mutated_reports(kind: str, edits: list[tuple[int, int, bytes]]) -> None:
    data = _mutate(_seeds()[kind], edits)
    assert_decodes_or_quarantines(data, f"fuzz.{kind}")
    assert_contract(extract_bytes(data, f"fuzz.{kind}"))


@fuzz(25)
@given(st.integers(0, 10_000))
def test_truncated_reports(cut: int) -> None:
    for kind, data in _seeds().items():
        assert_contract(extract_bytes(data[: cut % (len(data) + 1)], f"fuzz.{kind}"))


@pytest.mark.filterwarnings("ignore:Duplicate name")
@fuzz(30)
@given(
    st.lists(
        st.tuples(
            st.text(
                st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
            ).filter(lambda n: n.strip("/")),
            st.binary(max_size=64),
        ),
        max_size=6,
    )
)
def test_zip_containers_with_random_members(members: list[tuple[str, bytes]]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        for name, body in members:
            zf.writestr(name, body)
    assert_decodes_or_quarantines(buf.getvalue(), "fuzz.docx")


@fuzz(100)
@given(
    st.recursive(
        st.text(max_size=20).map(lambda t: t.replace("<", "").replace("&", "")),
        lambda inner: st.tuples(
            st.sampled_from(["table", "tr", "td", "th", "div", "p", "br", "script", "span"]),
            st.lists(inner, max_size=4),
        ).map(lambda t: f"<{t[0]}>" + "".join(t[1]) + f"</{t[0]}>"),
        max_leaves=60,
    )
)
def test_html_renderer_never_raises(fragment: str) -> None:
    lines = html_to_lines("<html><body>" + fragment + "</body></html>")
    assert all(isinstance(ln, str) for ln in lines)


@fuzz(150)
@given(st.binary(max_size=1024), st.sampled_from([None, "gbk", "big5", "utf-8", "bogus"]))
def test_charset_detection_never_raises_anything_else(data: bytes, hint: str | None) -> None:
    try:
        decoded = decode_text(data, hint)
    except UnreadableDocument as exc:
        assert exc.reason == "decode_failed"
    else:
        assert isinstance(decoded.text, str)
