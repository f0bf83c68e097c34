"""Which encoding a text or HTML payload is in: detected from the bytes, never assumed.

Order: a byte-order mark; strict UTF-8 (most pages, and the answer real pages rely on);
UTF-16 without a BOM (NUL bytes on one parity); then the legacy Chinese encodings GB18030
(GBK, GB2312) and Big5, chosen by how many decoded characters are common characters of
that script, with a declared charset (``<meta charset>``, XML declaration, HTTP header)
winning ties. GB18030 accepts almost any byte pair, so "decodes without error" alone would
read every Big5 page as GBK mojibake. Lines in different encodings (a UTF-8 page with a
pasted GBK table) are decoded line by line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from xxgk.core.exceptions import UnreadableDocument
from xxgk.core.quarantine import DECODE_FAILED

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Declared names → the codec we decode with (GB18030 is a superset of GBK and GB2312).
_FAMILY = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "big5": "big5",
    "big-5": "big5",
    "cp950": "big5",
    "x-x-big5": "big5",
    "big5-hkscs": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "utf-16": "utf-16",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
    "utf-8": "utf-8",
    "utf8": "utf-8",
}
_LEGACY = ("gb18030", "big5", "big5hkscs")
_PUNCT = frozenset("，。、；：？！“”‘’《》（）【】—…·　〔〕﹝﹞「」『』") | frozenset(
    chr(c) for c in range(0xFF01, 0xFF5F)
)
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f]")
_MAX_LOSSY = 0.02  # replacement characters tolerated in a lossy decode


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # codec name, or 'mixed(utf-8+gb18030)', or 'gb18030(lossy)'


def _table(codec: str, leads: range, trails: list[int]) -> frozenset[str]:
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                out.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


@lru_cache(maxsize=1)
def _common() -> dict[str, frozenset[str]]:
    """The common characters of each script: GB2312 level 1, Big5 level 1."""
    gb = _table("gb2312", range(0xB0, 0xD8), list(range(0xA1, 0xFF)))
    big5 = _table("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    return {"gb18030": gb, "big5": big5, "big5hkscs": big5, "any": gb | big5}


def _scored(c: str) -> bool:
    """Non-ASCII and not a neutral symbol: circled numbers (①), box drawing (─│┌), blocks
    and shapes (■△). GBK keeps these in rows whose bytes Big5 reads as common characters
    (GBK ─ is Big5 岸), so counting them against GBK read a GBK page with a text-drawn table
    as Big5 mojibake."""
    return ord(c) > 127 and not "\u2460" <= c <= "\u25ff"


def script_score(text: str, codec: str = "gb18030") -> float:
    """Share of non-ASCII characters that are common characters or punctuation (0..1);
    neutral symbols (``_scored``) are left out."""
    common = _common().get(codec) or _common()["any"]
    wide = [c for c in text if _scored(c)]
    if not wide:
        return 1.0
    return sum(c in common or c in _PUNCT for c in wide) / len(wide)


def declared_charset(data: bytes, hint: str | None = None) -> str | None:
    """The codec a page declares (HTTP header hint, XML declaration, ``<meta>``), if known."""
    names = [hint.encode("ascii", "ignore")] if hint else []
    for pattern in (_XML_ENCODING, _META_CHARSET):
        m = pattern.search(data[:4096])
        if m:
            names.append(m.group(1))
    for name in names:
        codec = _FAMILY.get(name.decode("ascii", "ignore").strip().lower())
        if codec:
            return codec
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for BOM-less UTF-16 (NUL high bytes of ASCII), else None."""
    head = data[:4096]
    if len(head) < 4 or len(data) % 2 or head.count(0) < len(head) // 50:
        return None
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        text = _strict(head, codec)
        if text is None or _CONTROL_TEXT.search(text):
            continue
        score = script_score(text, "any")
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, codec)
    if best is None or _strict(data, best[1]) is None:
        return None
    return best[1]


def _best_legacy(data: bytes, declared: str | None) -> Decoded | None:
    scored = []
    for rank, codec in enumerate(_LEGACY):
        text = _strict(data, codec)
        if text is not None:
            bonus = (0.1 if codec == declared else 0.0) + (0.05 if rank == 0 else 0.0)
            scored.append((script_score(text, codec) + bonus, -rank, codec, text))
    if not scored:
        return None
    _, _, codec, text = max(scored)
    return Decoded(text, codec)


def _mixed(data: bytes) -> Decoded | None:
    """Line-wise decoding when some lines are UTF-8 and others a legacy encoding."""
    lines = data.split(b"\n")
    utf8 = [_strict(ln, "utf-8") if not ln.isascii() else None for ln in lines]
    good = [t for t in utf8 if t is not None and script_score(t) >= 0.6]
    legacy = b"\n".join(
        ln for ln, t in zip(lines, utf8, strict=True) if t is None and not ln.isascii()
    )
    if not good or not legacy:
        return None
    other = _best_legacy(legacy, None)
    if other is None or script_score(other.text, other.encoding) < 0.6:
        return None  # not a second encoding: broken bytes (see _lossy)
    codec = other.encoding
    out = [
        t if t is not None else ln.decode(codec, "replace")
        for ln, t in zip(lines, utf8, strict=True)
    ]
    return Decoded("\n".join(out), f"mixed(utf-8+{codec})")


def _lossy(data: bytes) -> Decoded | None:
    best: tuple[int, str, str] | None = None
    for codec in ("utf-8", *_LEGACY):
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, codec, text)
    assert best is not None
    bad, codec, text = best
    if bad > max(1, len(text) * _MAX_LOSSY):
        return None
    return Decoded(text, f"{codec}(lossy)")


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def is_utf16(data: bytes) -> bool:
    """UTF-16/32 text, with or without a byte-order mark (its NUL bytes are not binary)."""
    boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
    return data.startswith(boms) or _utf16_without_bom(data) is not None


def looks_binary(data: bytes) -> bool:
    """More than 1% control bytes (NUL, BEL…) in the head: not a text payload."""
    if is_utf16(data):
        return False
    head = data[:65536]
    return len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) // 100


def decode_text(data: bytes, hint: str | None = None) -> Decoded:
    """Bytes of a text or HTML file → text and the encoding it was read with.

    Raises:
        UnreadableDocument: ``decode_failed`` when no encoding reads the bytes.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is not None:
                return Decoded(text, codec)
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(data.decode(utf16), utf16)
    found = _mixed(data) or _best_legacy(data, declared_charset(data, hint)) or _lossy(data)
    if found is None:
        raise UnreadableDocument(DECODE_FAILED, "bytes are neither UTF-8, UTF-16, GB18030 nor Big5")
    return found


def sniff_encoding(data: bytes, hint: str | None = None) -> str:
    """The codec ``decode_text`` would use (kept for callers of the old API).

    Raises:
        UnreadableDocument: ``decode_failed`` when no encoding reads the bytes.
    """
    return decode_text(data, hint).encoding
