"""The PDF stream check follows every filter chain: a Flate bomb behind /ASCIIHexDecode or
/ASCII85Decode, or Flate inside Flate, is refused (``too_large``) before a parser inflates
it, and a normal chain still reads."""

from __future__ import annotations

import base64
import resource
import zlib

import pytest

from tests.support.hostile_pdf import pages_pdf
from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.limits import Limits
from xxgk.decode.pdf import check_streams

LIMITS = Limits(max_pdf_stream_bytes=64 << 20)


def _deflate(megabytes: int) -> bytes:
    deflate = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    return b"".join(deflate.compress(zeros) for _ in range(megabytes)) + deflate.flush()


CHAINS = {
    "hex": (lambda z: z.hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]"),
    "hex, abbreviated": (lambda z: z.hex().upper().encode() + b">", b"[/AHx /Fl]"),
    "ascii85": (
        lambda z: base64.a85encode(z, wrapcol=72) + b"~>",
        b"[/ASCII85Decode /FlateDecode]",
    ),
    "flate in flate": (lambda z: zlib.compress(z), b"[/FlateDecode /FlateDecode]"),
    "hex, flate, flate": (
        lambda z: zlib.compress(z).hex().encode() + b">",
        b"[/ASCIIHexDecode /FlateDecode /FlateDecode]",
    ),
}


@pytest.mark.parametrize("chain", list(CHAINS))
def test_a_wrapped_bomb_is_too_large(chain: str) -> None:
    wrap, filters = CHAINS[chain]
    pdf = pages_pdf(wrap(_deflate(100)), filters, 1)  # 100 MB of zeros, cap 64 MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UnreadableDocument) as err:
        check_streams(pdf, LIMITS)
    assert err.value.reason == "too_large" and "decodes past" in err.value.message
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 400_000  # counted in chunks, never inflated whole


@pytest.mark.parametrize("chain", list(CHAINS))
def test_the_same_chains_under_the_cap_pass(chain: str) -> None:
    wrap, filters = CHAINS[chain]
    check_streams(pages_pdf(wrap(_deflate(8)), filters, 1), LIMITS)
