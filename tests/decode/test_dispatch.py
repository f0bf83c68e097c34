"""The dispatcher: containers sniffed from bytes, error pages, stubs, limits, LibreOffice."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import DEFAULT_MAX_BYTES, Limits
from xxgk.core.quarantine import MAGIC, make_stub, read_stub
from xxgk.decode.dispatch import decode, sniff_container
from xxgk.extract import extract_bytes
from xxgk.land.fetch import FetchSettings

OLE2_WORD = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + bytes(512)
    + "WordDocument".encode("utf-16-le")
    + bytes(512)
)
REPORT = "2020年度某局政府信息公开工作年度报告\n全年主动公开政府信息142条。\n"


def _reason(data: bytes, name: str = "x", limits: Limits | None = None) -> tuple[str, str]:
    with pytest.raises(UnreadableDocument) as err:
        decode(data, name, limits=limits)
    return err.value.reason, err.value.message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n", "pdf"),
        (b"\n\n%PDF-1.7 after junk", "pdf"),
        (b"PK\x03\x04....word/document.xml", "docx"),
        (b"PK\x03\x04 other", "zip"),
        (OLE2_WORD, "ole2-word"),
        (b"{\\rtf1\\ansi", "rtf"),
        (b"\x89PNG\r\n\x1a\n", "image:PNG"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image:WEBP"),
        (b"\x1f\x8b\x08", "archive:gzip"),
        (b"<html>", "markup"),
    ],
)
def test_containers_are_sniffed_from_bytes(data: bytes, kind: str) -> None:
    assert sniff_container(data) == kind


def test_the_file_name_does_not_decide_the_container() -> None:
    doc = decode(REPORT.encode(), "looks-like.pdf")
    assert doc.container == "text"


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>404 Not Found</title></head><body><a>政府信息公开</a>"
        "<p>您访问的页面不存在</p></body></html>",
        "<html><head><title>用户登录</title></head><body><p>政务公开 信息公开</p>"
        "<form>用户名 密码 验证码</form></body></html>",
        "<html><body><h1>出错了</h1><p>系统繁忙，请稍后再试。</p><p>政府信息公开</p></body></html>",
        "<html><body><p>Hello world</p></body></html>",
        "just some text without any marker",
    ],
)
def test_error_and_login_pages_are_not_reports(page: str) -> None:
    record = extract_bytes(page.encode(), "page.html")
    assert record["status"] == "quarantined"
    assert [i["code"] for i in record["issues"]] == ["not_a_report"]


@pytest.mark.parametrize(
    "text",
    [
        "一、本年新收政府信息公开申请数量 | 0 | 0 |",  # a short table fragment
        "2019年度政府信息公开工作年度报告\n404 | 条 | 登录 |",  # strong marker wins
        "政府信息公開工作年度報告",  # traditional script
    ],
)
def test_short_reports_and_fragments_are_kept(text: str) -> None:
    assert decode(text.encode(), "x.txt").lines[0] == text.split("\n")[0]
    assert extract_bytes(text.encode(), "x.txt")["status"] != "quarantined"


def test_stubs_carry_their_reason() -> None:
    stub = make_stub("http_error", "HTTP 404 Not Found", "http://a/b", http_status=404)
    assert read_stub(stub) == ("http_error", "HTTP 404 Not Found (http://a/b)")
    # by its bytes alone a stub is content: a file cannot claim a reason of its choosing
    assert [i["code"] for i in extract_bytes(stub, "x")["issues"]] == ["not_a_report"]
    assert read_stub(MAGIC + b"{not json") is None
    assert read_stub(MAGIC + b'{"reason": "made_up"}') is None
    with pytest.raises(ValueError, match="unknown quarantine reason"):
        make_stub("made_up", "", "")


def test_size_cap_is_checked_before_anything_else() -> None:
    assert _reason(b"x" * 2000, limits=Limits(max_bytes=1000, max_text_bytes=500)) == (
        "too_large",
        "2000 bytes; the cap is 1000",
    )
    assert _reason(REPORT.encode() * 40, limits=Limits(max_text_bytes=1000))[0] == "too_large"


def test_limits_validate_and_read_the_environment() -> None:
    assert Limits().max_bytes == DEFAULT_MAX_BYTES
    for bad in (
        {"max_bytes": 0},
        {"max_pdf_pages": -1},
        {"max_zip_ratio": True},
        {"max_bytes": 10, "max_text_bytes": 20},
    ):
        with pytest.raises(ValueError):
            Limits(**bad)  # type: ignore[arg-type]
    env = {"XXGK_MAX_PDF_PAGES": "12", "XXGK_CONVERT_TIMEOUT_S": "2.5", "XXGK_MAX_BYTES": ""}
    assert Limits.from_env(env) == Limits(max_pdf_pages=12, convert_timeout_s=2.5)
    with pytest.raises(ValueError, match="XXGK_MAX_BYTES"):
        Limits.from_env({"XXGK_MAX_BYTES": "lots"})
    fetch = FetchSettings.from_env({"XXGK_FETCH_RETRIES": "0", "XXGK_FETCH_USE_ENV_PROXY": "no"})
    assert (fetch.retries, fetch.use_env_proxy) == (0, False)
    with pytest.raises(ValueError):
        FetchSettings(timeout_s=0)


def test_legacy_word_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_SOFFICE", "/nonexistent/soffice")
    reason, message = _reason(OLE2_WORD, "report.doc")
    assert reason == "unsupported_type" and "LibreOffice" in message and ".doc" in message
    assert _reason(OLE2_WORD, "report.wps")[1].startswith("legacy office file (.wps)")


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\n{body}\n")
    script.chmod(0o755)
    return script


def test_a_hanging_conversion_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_SOFFICE", str(_fake_soffice(tmp_path, "sleep 60")))
    started = time.monotonic()
    reason, message = _reason(OLE2_WORD, "report.doc", Limits(convert_timeout_s=0.5))
    assert (reason, message) == ("decode_failed", "LibreOffice did not convert within 0.5 s")
    assert time.monotonic() - started < 10
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_conversion_without_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_SOFFICE", str(_fake_soffice(tmp_path, "exit 0")))
    assert _reason(OLE2_WORD, "report.doc")[0] == "decode_failed"
