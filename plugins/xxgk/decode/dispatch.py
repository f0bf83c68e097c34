"""Bytes → text lines. Knows encodings and document containers, not table formats.

A dispatcher: the container is sniffed from the bytes (never trusted from the file name)
and handed to one decoder of ``xxgk.core.quarantine``. Every table, whatever the container, comes
out as one pipe row per table row (``cell | cell | … |``), so the table reader sees the
same shape for HTML, PDF, DOCX and scraped text. Anything unreadable raises
``UnreadableDocument`` with a stable reason code (listed in ``xxgk.core.quarantine``).

Charset hints: landing records the charset of a fetched page's HTTP header
(``LandedFile.charset_hint``), which the bytes themselves may not declare. Extraction is a
bytes-in function that does not see the landing row, so the extraction step passes the
hints of its batch around it (``with charset_hints(hints_of(batch)):``); ``decode`` then
uses the hint recorded for the bytes it is given (looked up by their sha256) unless its
caller passed one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from xxgk.core.charset import sniff_encoding
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import (
    DECODE_FAILED,
    EMPTY,
    TOO_LARGE,
    UNSUPPORTED_TYPE,
)
from xxgk.decode.document import Document, has_visible_text
from xxgk.decode.markup import decode_markup, looks_like_html

__all__ = ["Document", "decode", "looks_like_html", "sniff_container", "sniff_encoding"]
log = logging.getLogger(__name__)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_ARCHIVES = (
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)


def _utf16_name(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole2_kind(data: bytes) -> str:
    head = data[: 1 << 22]
    if _utf16_name("WordDocument") in head:
        return "word"
    if _utf16_name("EncryptedPackage") in head:
        return "encrypted"
    if _utf16_name("Workbook") in head or _utf16_name("Book") in head:
        return "spreadsheet"
    return "other"


def _zip_kind(data: bytes) -> str:
    head = data[:4096]
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
        return "odt"
    if b"word/" in data:  # member names are stored uncompressed
        return "docx"
    return "zip"


def sniff_container(data: bytes) -> str:
    """pdf | docx | odt | zip | ole2-word | ole2-encrypted | ole2-spreadsheet | ole2-other |
    rtf | image:<kind> | archive:<kind> | markup."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data.startswith(_OLE2):
        return f"ole2-{_ole2_kind(data)}"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            return f"image:{kind}"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image:WEBP"
    for magic, kind in _ARCHIVES:
        if data.startswith(magic):
            return f"archive:{kind}"
    return "markup"


def _suffix(name: str, default: str) -> str:
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    return ext if ext in (".doc", ".wps", ".dot", ".wpt", ".rtf", ".odt") else default


def _decode_container(
    kind: str,
    data: bytes,
    name: str,
    limits: Limits,
    charset_hint: str | None,
    images: Mapping[str, bytes] | None = None,
) -> Document:
    if kind == "pdf":
        from xxgk.decode.pdf import decode_pdf

        return decode_pdf(data, limits)
    if kind == "docx":
        from xxgk.decode.docx import decode_docx

        return decode_docx(data, limits)
    if kind in ("ole2-word", "rtf", "odt"):
        from xxgk.decode.office import decode_legacy

        default, container = {
            "ole2-word": (".doc", "doc"),
            "rtf": (".rtf", "rtf"),
            "odt": (".odt", "odt"),
        }[kind]
        return decode_legacy(data, _suffix(name, default), limits, container)
    if kind == "markup":
        return decode_markup(data, name, limits, charset_hint, images)
    if kind.startswith("image:"):  # a scan or a screenshot of the report: read by OCR
        from xxgk.decode.scan import decode_image

        return decode_image(data, kind[6:], limits)
    raise _unsupported(kind)


def _unsupported(kind: str) -> UnreadableDocument:
    if kind == "ole2-encrypted":
        return UnreadableDocument(DECODE_FAILED, "a password-protected Office document")
    what = {
        "zip": "a ZIP archive that is not a Word document",
        "ole2-spreadsheet": "a spreadsheet (.xls/.et)",
        "ole2-other": "an OLE2 file that is not a Word document",
    }.get(kind, kind)
    return UnreadableDocument(UNSUPPORTED_TYPE, f"{what} is not read")


def decode(
    data: bytes,
    name: str = "",
    *,
    limits: Limits | None = None,
    charset_hint: str | None = None,
    images: Mapping[str, bytes] | None = None,
) -> Document:
    """Decode a report file's bytes into lines.

    Args:
        data: the file's bytes.
        name: its file name (a hint for HTML and for the legacy Office suffix only).
        limits: size/page caps; ``Limits.from_env()`` when None.
        charset_hint: a charset declared outside the bytes (the HTTP header landing
            recorded for a fetched page).
        images: an HTML page's images landed beside it (``<img src>`` → bytes): tables
            pasted as images, read by OCR where they stand.

    Raises:
        UnreadableDocument: the reason codes of ``xxgk.core.quarantine`` (empty, too_large,
            encrypted_pdf, needs_ocr, unsupported_type, decode_failed…).
    """
    if not data.strip():
        raise UnreadableDocument(EMPTY, "the file is empty")
    limits = limits or Limits.from_env()
    if len(data) > limits.max_bytes:
        raise UnreadableDocument(TOO_LARGE, f"{len(data)} bytes; the cap is {limits.max_bytes}")
    kind = sniff_container(data)
    try:
        doc = _decode_container(kind, data, name, limits, charset_hint, images)
    except UnreadableDocument:
        raise
    except Exception as exc:  # a decoder bug or a library choking on hostile input
        log.warning("decoding %s (%s) failed: %s: %s", name, kind, type(exc).__name__, exc)
        raise UnreadableDocument(DECODE_FAILED, f"{kind}: {type(exc).__name__}: {exc}") from exc
    if not has_visible_text(doc.lines):
        raise UnreadableDocument(EMPTY, f"no visible text in the {doc.container} file")
    return doc
