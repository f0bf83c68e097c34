"""Open ZIP-based Office files safely: no decompression bombs, no DTDs in their XML.

The checks use the central directory before anything is decompressed (member count, total
uncompressed size, compression ratio); Python's ``zipfile`` never returns more bytes than a
member declares, so a lying header cannot inflate past these numbers. OOXML forbids DTDs,
so an XML part that declares one (XXE, billion laughs) marks a hostile file. The check reads
each part as text in its own encoding (UTF-16/32 by BOM or first bytes, else the encoding
declaration, as an XML parser does), so UTF-32 or UTF-7 cannot hide a DTD from it.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, TOO_LARGE, UNSAFE_XML

_RATIO_FLOOR = 1 << 20  # ratios are only meaningful for members over 1 MB
_DTD_MARKS = ("<!DOCTYPE", "<!ENTITY")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# the XML spec's autodetection (appendix F): byte order marks, then the first four bytes of
# '<?xml' in encodings without one; longer prefixes first (UTF-32 LE's BOM starts as UTF-16's)
_BY_PREFIX = (
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp500"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_text(data: bytes) -> str | None:
    """An XML part's text in the encoding a parser would read it in; None when that
    encoding is one Python does not know (no parser-safe reading: refuse the part)."""
    for prefix, codec in _BY_PREFIX:
        if data.startswith(prefix):
            return data.decode(codec, "replace")
    declared = _DECLARED.match(data[:256])
    name = declared[1].decode("ascii") if declared else "utf-8"
    try:
        return data.decode(name, "replace")
    except LookupError:
        return None


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """A ZIP archive whose declared sizes are within ``limits``.

    Raises:
        UnreadableDocument: ``decode_failed`` (not a readable ZIP, encrypted members),
            ``too_large`` (too many members, too many bytes, bomb-like ratio).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableDocument(DECODE_FAILED, f"not a readable ZIP container: {exc}") from exc
    if len(infos) > limits.max_zip_members:
        raise UnreadableDocument(
            TOO_LARGE, f"{len(infos)} ZIP members; the cap is {limits.max_zip_members}"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise UnreadableDocument(
            TOO_LARGE,
            f"decompression bomb: {total} bytes uncompressed; "
            f"the cap is {limits.max_unzipped_bytes}",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise UnreadableDocument(
                TOO_LARGE,
                f"decompression bomb: {info.filename} inflates {ratio:.0f}x "
                f"(cap {limits.max_zip_ratio}x)",
            )
        if info.flag_bits & 0x1:
            raise UnreadableDocument(DECODE_FAILED, f"{info.filename} is encrypted")
    return archive


def member_names(archive: zipfile.ZipFile) -> set[str]:
    return {i.filename for i in archive.infolist()}


def check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse XML parts that declare a DTD or entities.

    Raises:
        UnreadableDocument: ``unsafe_xml`` naming the part; ``decode_failed`` for a corrupt
            member.
    """
    for info in archive.infolist():
        if not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        try:
            head = archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
            raise UnreadableDocument(DECODE_FAILED, f"{info.filename}: {exc}") from exc
        text = xml_text(head)
        if text is None:
            raise UnreadableDocument(
                UNSAFE_XML, f"{info.filename} declares an encoding no XML reader here knows"
            )
        # the bytes as they are too: a part may declare an encoding its bytes do not use
        if any(mark in text or mark.encode() in head for mark in _DTD_MARKS):
            raise UnreadableDocument(
                UNSAFE_XML, f"{info.filename} declares a DTD/entities (never valid in OOXML)"
            )
