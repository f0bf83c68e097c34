"""Hostile PDFs for tests: cheap on disk, expensive to parse or to inflate."""

from __future__ import annotations

import zlib


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pages_pdf(content: bytes, filters: bytes, pages: int) -> bytes:
    """``pages`` pages drawing one content stream, stored with the filter chain ``filters``."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters)
            + content
            + b"\nendstream",
            *[page] * pages,
        ]
    )


def shared_stream_pdf(pages: int = 300, ops: int = 200_000) -> bytes:
    """Every page draws the same 5 MB content stream."""
    content = b"BT /F1 12 Tf " + b"1 0 0 1 72 700 Tm (x) Tj " * ops + b"ET"
    return pages_pdf(zlib.compress(content, 9), b"/FlateDecode", pages)


def hex_wrapped_bomb(megabytes: int = 2048) -> bytes:
    """A Flate bomb behind /ASCIIHexDecode: no zlib header where the stream starts."""
    deflate = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    packed = b"".join(deflate.compress(zeros) for _ in range(megabytes)) + deflate.flush()
    return pages_pdf(packed.hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]", 1)
