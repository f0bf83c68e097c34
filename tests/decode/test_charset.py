"""Encodings are detected from the bytes: UTF-8, GBK/GB18030, Big5, UTF-16, mixed, declared."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.support.trad import to_traditional
from xxgk.core.charset import Decoded, declared_charset, decode_text, script_score
from xxgk.core.exceptions import UnreadableDocument
from xxgk.decode.dispatch import decode, sniff_encoding

REPORT = (
    "2020年度某县统计局政府信息公开工作年度报告\n"
    "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况组成。\n"
    "全年主动公开政府信息142条，收到申请5件，均按时答复。\n"
)
TRADITIONAL = to_traditional(REPORT)


def _html(body: str, meta: str = "") -> str:
    title = body.split("\n")[0]
    return f"<html><head>{meta}<title>{title}</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (REPORT.encode("gb18030"), "gb18030"),
        (REPORT.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        (REPORT.encode("utf-16"), "utf-16"),  # with a BOM
        (codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be"), "utf-16"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),  # no BOM: NUL bytes on odd offsets
        (REPORT.encode("utf-32"), "utf-32"),
    ],
)
def test_encodings_are_detected_not_assumed(data: bytes, expected: str) -> None:
    decoded = decode_text(data)
    assert decoded.encoding == expected
    assert decoded.text.lstrip("\ufeff") in (REPORT, TRADITIONAL)


def test_sniff_encoding_keeps_its_utf8_and_gb18030_answers() -> None:
    assert sniff_encoding("年度报告".encode()) == "utf-8"
    assert sniff_encoding("年度报告".encode("gb18030")) == "gb18030"
    assert sniff_encoding(b"plain ascii") == "utf-8"


def test_big5_is_not_read_as_gbk_mojibake() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # decodes without error: that alone proves nothing
    assert script_score(data.decode("gb18030")) < 0.5 < script_score(data.decode("big5"), "big5")
    doc = decode(data, "report.txt")
    assert doc.encoding == "big5" and "政府資訊公開" not in doc.text
    assert doc.lines[0].startswith("2020年度某縣統計局政府信息公開工作年度報告")


@pytest.mark.parametrize(
    ("meta", "hint"),
    [
        ('<meta charset="gbk">', None),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', None),
        ("", "GBK"),  # declared by an HTTP header only
        ("", None),  # undeclared
    ],
)
def test_gbk_html_declared_or_not(meta: str, hint: str | None) -> None:
    data = _html(REPORT, meta).encode("gbk")
    doc = decode(data, "page.html", charset_hint=hint)
    assert (doc.container, doc.encoding) == ("html", "gb18030")
    assert "政府信息公开工作年度报告" in doc.text


def test_a_wrong_latin1_declaration_is_ignored() -> None:
    data = _html(REPORT, '<meta charset="iso-8859-1">').encode("gbk")
    assert declared_charset(data) is None
    assert "全年主动公开政府信息142条" in decode(data, "page.html").text


def test_big5_declared_wins_a_close_call() -> None:
    data = _html(TRADITIONAL, '<meta charset="big5">').encode("big5")
    assert decode(data, "page.html").encoding == "big5"


def test_mixed_utf8_and_gbk_lines_are_decoded_line_by_line() -> None:
    lines = REPORT.strip().split("\n")
    data = (
        lines[0].encode("utf-8") + b"\n" + lines[1].encode("gbk") + b"\n" + lines[2].encode("utf-8")
    )
    decoded = decode_text(data)
    assert decoded.encoding == "mixed(utf-8+gb18030)"
    assert decoded.text.split("\n") == lines


def test_a_few_broken_bytes_are_replaced_not_fatal() -> None:
    data = REPORT.encode("utf-8") * 20
    data = data[:50] + b"\xff" + data[50:]
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8(lossy)"
    assert 1 <= decoded.text.count("\ufffd") <= 4  # the stray byte and the character it cut
    assert decoded.text.count("全年主动公开政府信息142条") == 20


def test_undecodable_noise_fails_with_a_reason() -> None:
    noise = bytes([0x81, 0x20, 0xFF, 0x7F] * 200)
    with pytest.raises(UnreadableDocument) as err:
        decode_text(noise)
    assert err.value.reason == "decode_failed"


BOX_TABLE = (
    "2020年度政府信息公开工作年度报告\n"
    "┌────────────┬──────┐\n"
    "│ 主动公开   │ 142  │\n"
    "├────────────┼──────┤\n"
    "│ 依申请公开 │ 5    │\n"
    "└────────────┴──────┘\n"
)


@pytest.mark.parametrize("hint", [None, "gbk"])
def test_gbk_with_a_text_drawn_table_is_not_read_as_big5(hint: str | None) -> None:
    """GBK's box-drawing row reads as common Big5 characters (─ is 岸): those symbols are
    neutral in the scoring, so the page is GBK with or without a declared charset."""
    data = BOX_TABLE.encode("gbk")
    assert "岸岸岸" in data.decode("big5")  # valid Big5 too: a real close call
    assert decode_text(data, hint) == Decoded(BOX_TABLE, "gb18030")
    assert script_score(BOX_TABLE) == 1.0


def test_an_http_charset_breaks_a_tie_the_bytes_cannot() -> None:
    """Characters whose Big5 bytes are also common GBK characters: the bytes alone read as
    GBK (the usual encoding); the Content-Type header of the fetch says Big5 and wins."""
    text = "報統資應請數機關辦複議檢類條項話網絡調議"
    data = text.encode("big5")
    assert decode_text(data).encoding == "gb18030"
    assert decode_text(data, "big5") == Decoded(text, "big5")


def test_a_batch_passes_each_fetched_pages_charset_to_decode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What the extraction step does: the charset landing recorded for a fetched page (its
    HTTP header) reaches the extraction (which runs in a worker process, where
    ``extract_file`` hands it to ``decode``); a file without one is sniffed."""
    from xxgk.extract.batches import extract_batch
    from xxgk.extract.worker import ExtractionGuard

    seen: list[str | None] = []
    real = ExtractionGuard.extract

    def spy(
        self: ExtractionGuard,
        raw_path: Path,
        source: str,
        charset_hint: str | None = None,
        *args: Any,
    ) -> dict[str, Any]:
        seen.append(charset_hint)
        return real(self, raw_path, source, charset_hint, *args)

    monkeypatch.setattr(ExtractionGuard, "extract", spy)
    batch = []
    for name, data, hint in (
        ("gbk.html", _html(REPORT).encode("gbk"), "GBK"),
        ("utf8.html", _html(REPORT).encode("utf-8"), None),
    ):
        (tmp_path / name).write_bytes(data)
        batch.append(
            {
                "raw_path": str(tmp_path / name),
                "source_path": name,
                "report_sha256": hashlib.sha256(data).hexdigest(),
                "charset_hint": hint,
            }
        )
    result = extract_batch(batch, tmp_path / "extracted")
    assert seen == ["GBK", None]
    assert result["statuses"] == {"ok": 2}
