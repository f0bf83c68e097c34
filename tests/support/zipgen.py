"""Hostile ZIP/DOCX files for tests: decompression bombs and XML with a DTD."""

from __future__ import annotations

import io
import zipfile

_MB = 1 << 20

XXE_DOCUMENT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">
<!ENTITY lol "lollollollollollollollollollol">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&xxe;&lol;</w:t></w:r></w:p></w:body></w:document>"""


def with_member(docx: bytes, name: str, data: bytes | None = None, *, zeros_mb: int = 0) -> bytes:
    """``docx`` with member ``name`` replaced or added: given bytes, or ``zeros_mb`` MB of
    zeros streamed in (a real decompression bomb, ~1000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        if data is not None:
            dst.writestr(name, data)
        else:
            with dst.open(name, "w", force_zip64=True) as member:
                chunk = bytes(_MB)
                for _ in range(zeros_mb):
                    member.write(chunk)
    return out.getvalue()


def spreadsheet_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()
