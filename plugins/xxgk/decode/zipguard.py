"""Open ZIP-based Office files safely: no decompression bombs, no DTDs in their XML.

The checks use the central directory before anything is decompressed (member count, total
uncompressed size, compression ratio); Python's ``zipfile`` never returns more bytes than a
member declares, so a lying header cannot inflate past these numbers. OOXML forbids DTDs,
so an XML part that declares one (XXE, billion laughs) marks a hostile file.
"""

from __future__ import annotations

import io
import zipfile

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.core.quarantine import DECODE_FAILED, TOO_LARGE, UNSAFE_XML

_RATIO_FLOOR = 1 << 20  # ratios are only meaningful for members over 1 MB
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"),
              "<!ENTITY".encode("utf-16-le"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")


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
        raise UnreadableDocument(TOO_LARGE, f"{len(infos)} ZIP members; the cap is "
                                            f"{limits.max_zip_members}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise UnreadableDocument(TOO_LARGE, f"decompression bomb: {total} bytes uncompressed; "
                                            f"the cap is {limits.max_unzipped_bytes}")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise UnreadableDocument(
                TOO_LARGE, f"decompression bomb: {info.filename} inflates {ratio:.0f}x "
                           f"(cap {limits.max_zip_ratio}x)")
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
        if any(mark in head for mark in _DTD_MARKS):
            raise UnreadableDocument(
                UNSAFE_XML, f"{info.filename} declares a DTD/entities (never valid in OOXML)")
