"""A corpus of bad and unusual inputs, generated on the fly, each with its expected outcome.

Report content comes from the committed demo corpus (``samples/inbox``), so the corpus needs
nothing outside the repository. ``build(inbox)`` writes every case; ``CASES`` says what each
must become: (status, reason of the error issue or None).
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tests.conftest import REPO
from tests.support.docgen import blocks_to_docx, html_blocks, text_blocks
from tests.support.hostile_pdf import hex_wrapped_bomb, shared_stream_pdf
from tests.support.pdfgen import Image, Text, make_pdf
from tests.support.report_site import LOGIN, NOT_FOUND
from tests.support.trad import to_traditional
from tests.support.zipgen import XXE_DOCUMENT, spreadsheet_zip, with_member
from xxgk.core.quarantine import make_stub
from xxgk.decode.office import soffice_path

SAMPLES = REPO / "samples" / "inbox"
OLD_TXT = SAMPLES / "2016" / "yangbenxian-shuiliju.txt"  # old-format table, pipe rows
V2021_HTML = SAMPLES / "2021" / "shilishi-tongjiju.html"  # v2021 tables with spans
HUGE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str  # path under the inbox
    write: Callable[[Path], None]
    status: str
    reason: str | None  # code of the error issue (quarantine reason)
    note: str


def _old_text() -> str:
    return OLD_TXT.read_text(encoding="utf-8")


def _v2021_html() -> str:
    return V2021_HTML.read_text(encoding="utf-8")


def _bytes(data: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data())


def _huge_html(path: Path) -> None:
    """50 MB of HTML, written in chunks (never held in memory at once)."""
    row = ("<tr><td>主动公开政府信息数</td><td>条</td><td>645</td></tr>\n" * 200).encode()
    with path.open("wb") as fh:
        fh.write(b"<html><body><p>\xe5\xb9\xb4\xe5\xba\xa6\xe6\x8a\xa5\xe5\x91\x8a</p><table>")
        while fh.tell() < HUGE_BYTES:
            fh.write(row)
        fh.write(b"</table></body></html>")


def _nul_sprinkled() -> bytes:
    data = bytearray(_old_text().encode("utf-8"))
    for pos in range(500, len(data), 2000):
        data[pos:pos] = b"\x00"
    return bytes(data)


def _mixed() -> bytes:
    lines = _old_text().split("\n")
    half = len(lines) // 2
    return ("\n".join(lines[:half]) + "\n").encode("utf-8") + "\n".join(lines[half:]).encode("gbk")


def _deep_tables() -> bytes:
    depth = 400
    return (
        "<html><body><p>2020年度某局政府信息公开工作年度报告</p>"
        + "<table><tr><td>统计</td><td>" * depth
        + "最深处"
        + "</td></tr></table>" * depth
        + "</body></html>"
    ).encode()


@lru_cache(maxsize=1)
def _docx() -> bytes:
    return blocks_to_docx(html_blocks(_v2021_html()))


@lru_cache(maxsize=1)
def _pdf() -> bytes:
    return make_pdf(text_blocks(_old_text()), page_size=(1400, 842), margin=20)


def _symlink_out(path: Path) -> None:
    target = path.parent.parent / "outside-secret.txt"
    target.write_text("root:x:0:0")
    path.symlink_to(target)


def _long_figure() -> bytes:
    """A 5,000-digit cell (past int()'s 4,300-digit limit) and 20,000 digits in prose."""
    text = _old_text().replace("| 条 | 507 |", f"| 条 | {'9' * 5000} |", 1)
    return text.replace("全年主动公开", f"编号{'1' * 20_000}。全年主动公开", 1).encode()


def _utf32_xxe_docx() -> bytes:
    xml = XXE_DOCUMENT.replace(b'encoding="UTF-8"', b'encoding="UTF-32"')
    return with_member(_docx(), "word/document.xml", xml.decode().encode("utf-32"))


def _legacy_outcome() -> tuple[str, str]:
    return (
        ("decode_failed", "LibreOffice cannot convert it")
        if soffice_path()
        else ("unsupported_type", "no LibreOffice: the message names the missing converter")
    )


def _cases() -> list[Case]:
    legacy_reason, legacy_note = _legacy_outcome()
    q = "quarantined"
    return [
        Case("empty.txt", _bytes(lambda: b""), q, "empty", "no bytes"),
        Case("blank.html", _bytes(lambda: b" \r\n\t \n"), q, "empty", "whitespace only"),
        Case("nul.bin", _bytes(lambda: bytes(4096)), q, "not_a_report", "NUL bytes"),
        Case(
            "random.dat",
            _bytes(lambda: random.Random(7).randbytes(8192)),
            q,
            "not_a_report",
            "binary noise",
        ),
        Case("report-with-nuls.txt", _bytes(_nul_sprinkled), "ok", None, "stray NUL bytes dropped"),
        Case("huge.html", _huge_html, q, "too_large", "50 MB HTML, refused by size"),
        Case(
            "gbk-undeclared.html",
            _bytes(lambda: _v2021_html().replace('<meta charset="utf-8">', "").encode("gbk")),
            "ok",
            None,
            "GBK without charset",
        ),
        Case(
            "big5.txt",
            _bytes(lambda: to_traditional(_old_text()).encode("big5", "replace")),
            "ok",
            None,
            "traditional script in Big5",
        ),
        Case(
            "utf16-bom.html",
            _bytes(lambda: _v2021_html().encode("utf-16")),
            "ok",
            None,
            "UTF-16 with BOM",
        ),
        Case("mixed-encodings.txt", _bytes(_mixed), "ok", None, "UTF-8 then GBK lines"),
        Case(
            "deeply-nested.html",
            _bytes(_deep_tables),
            "ok",
            None,
            "400 nested tables (parser caps depth)",
        ),
        Case("404.html", _bytes(lambda: NOT_FOUND.encode()), q, "not_a_report", "error page"),
        Case("login.html", _bytes(lambda: LOGIN.encode()), q, "not_a_report", "login page"),
        Case("report.docx", _bytes(_docx), "ok", None, "DOCX with merged cells"),
        Case(
            "zip-bomb.docx",
            _bytes(lambda: with_member(_docx(), "word/media/b.png", zeros_mb=300)),
            q,
            "too_large",
            "300 MB of zeros in a 300 KB DOCX",
        ),
        Case(
            "xxe.docx",
            _bytes(lambda: with_member(_docx(), "word/document.xml", XXE_DOCUMENT)),
            q,
            "unsafe_xml",
            "external entity / DTD",
        ),
        Case("truncated.docx", _bytes(lambda: _docx()[:2000]), q, "decode_failed", "cut-off ZIP"),
        Case("sheet.xlsx", _bytes(spreadsheet_zip), q, "unsupported_type", "a spreadsheet"),
        Case("report.pdf", _bytes(_pdf), "ok", None, "PDF with ruled tables"),
        Case(
            "truncated.pdf", _bytes(lambda: _pdf()[:400]), q, "decode_failed", "cut before any page"
        ),
        Case(
            "image-only.pdf",
            _bytes(lambda: make_pdf([Image(), Image()])),
            q,
            "empty",
            "scanned pages with nothing on them: OCR finds no text",
        ),
        Case(
            "encrypted.pdf",
            _bytes(lambda: make_pdf([Text("年度报告")], user_password="secret")),
            q,
            "encrypted_pdf",
            "needs a password",
        ),
        Case(
            "scan.png",
            _bytes(lambda: b"\x89PNG\r\n\x1a\n" + bytes(64)),
            q,
            "decode_failed",
            "an image file cut after its signature (a whole image is read by OCR)",
        ),
        Case(
            "legacy.doc",
            _bytes(
                lambda: (
                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                    + bytes(512)
                    + "WordDocument".encode("utf-16-le")
                    + bytes(512)
                )
            ),
            q,
            legacy_reason,
            legacy_note,
        ),
        Case(
            os.fsdecode("报告.txt".encode("gbk")),
            _bytes(lambda: _old_text().encode()),
            "ok",
            None,
            "GBK bytes in the file name",
        ),
        Case(
            "x\\..\\..\\windows-traversal.txt",
            _bytes(lambda: _old_text().encode() + b"\n"),
            "ok",
            None,
            "backslash traversal name (just a name on POSIX)",
        ),
        Case("link-outside.txt", _symlink_out, q, "unsafe_path", "symlink out of the inbox"),
        Case("pipe.fifo", lambda p: os.mkfifo(p), q, "not_a_regular_file", "a FIFO"),
        Case(
            "long-figures.txt",
            _bytes(_long_figure),
            "ok",
            None,
            "a 5,000-digit cell (null, a warning) and 20,000 digits in prose",
        ),
        Case(
            "shared-stream.pdf",
            _bytes(shared_stream_pdf),
            q,
            "too_slow",
            "2 KB: 300 pages drawing one 5 MB stream (hours of parsing)",
        ),
        Case(
            "hex-bomb.pdf",
            _bytes(lambda: hex_wrapped_bomb(300)),
            q,
            "too_large",
            "300 MB Flate bomb behind /ASCIIHexDecode",
        ),
        Case("utf32-xxe.docx", _bytes(_utf32_xxe_docx), q, "unsafe_xml", "a DTD in UTF-32"),
        Case(
            "spoofed-stub.txt",
            _bytes(lambda: make_stub("http_error", "HTTP 404", "http://elsewhere")),
            q,
            "not_a_report",
            "an inbox file dressed as a quarantine stub is content, not a stub",
        ),
    ]


CASES = _cases()


def build(inbox: Path) -> dict[str, Case]:
    """Write every case under ``inbox``; returns cases by their landed source path."""
    inbox.mkdir(parents=True, exist_ok=True)
    out = {}
    for case in CASES:
        case.write(inbox / case.name)
        out[case.name] = case
    return out
