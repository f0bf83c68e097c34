"""Text normalisation shared by every extraction step.

Matching happens on a *normalised* form (NFKC, traditional → simplified, whitespace
removed); the original text is always kept for ``raw`` and provenance.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Final

from xxgk.core.memo import Memo

# Traditional → simplified, one character each: OpenCC's TSCharacters table (vendored, see
# data/NOTICE.md) without the characters that are also simplified ones (乾, 覆, …), plus the
# two of those that government reports use only in their traditional sense.
_OVERRIDES: Final = {"於": "于", "徵": "征"}


def _load_trad_table() -> dict[str, str]:
    text = resources.files("xxgk").joinpath("data/ts_characters.tsv").read_text(encoding="utf-8")
    table = dict(line.split("\t", 1) for line in text.splitlines() if line)
    return table | _OVERRIDES


_TRAD_TABLE: Final = _load_trad_table()
_TRAD2SIMP: Final = str.maketrans(_TRAD_TABLE)

_OPEN, _CLOSE = "[【〔〖「『", "]】〕〗」』"
_BRACKET_PAIRS: Final = tuple((c, "(") for c in _OPEN) + tuple((c, ")") for c in _CLOSE)
_CN_NUM = "一二三四五六七八九十〇零"
# Leading enumerators: 一、 (一) 1. 1、 (1) ①
_LEAD_ENUM = re.compile(rf"^(?:[{_CN_NUM}]+[、.．]|\(([{_CN_NUM}\d]+)\)|(\d+)[.、．](?!\d)|[①-⑳])")
_NUM_PAREN = re.compile(rf"\(([{_CN_NUM}\d]+)\)")
_PAREN = re.compile(r"\([^()]*\)")
_NON_WORD = re.compile(r"[\W_]+")
# full-width ASCII → ASCII, one character for one, so match positions index the raw text
HALF_WIDTH: Final = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# Searching a character class is ~10x faster than set operations over a Chinese string.
_TRAD_CHAR: Final = re.compile("[" + "".join(map(re.escape, sorted(_TRAD_TABLE))) + "]")
_BRACKET_CHAR: Final = re.compile("[" + re.escape(_OPEN + _CLOSE) + "]")


def _nfkc_class() -> re.Pattern[str]:
    """A character class of every BMP character NFKC changes, plus the CJK-relevant planes.

    Running NFKC only on those characters is ~15x faster than on whole Chinese texts
    (CJK ideographs are NFKC-stable) and gives the same result.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or unicodedata.normalize("NFKC", ch) == ch:
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    ranges += [(0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF), (0x2F800, 0x2FA1F)]
    parts = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{parts}]+")


_NFKC_CHANGES: Final = _nfkc_class()


@lru_cache(maxsize=4096)  # the same few runs ('（', '）', '：') in every report
def _nfkc_run(run: str) -> str:
    return unicodedata.normalize("NFKC", run)


def _nfkc(match: re.Match[str]) -> str:
    return _nfkc_run(match.group())


# inline pinyin of mirror sites after a character ('規(guī)章', '中(zhōng)華'): a tone mark
# tells it from an ASCII annotation such as '(PDF)'
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN: Final = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[{_TONES}])[a-zü{_TONES}]+\)")
_TONE: Final = re.compile(f"[{_TONES}]")  # a class scan: ~10x faster than the lookbehind


def _simplify_line(text: str) -> str:
    # a normalised text holds none of the characters NFKC changes: C's quick check says so
    # in ~50 ns, where the character-class scan takes ~400 ns
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = _NFKC_CHANGES.sub(_nfkc, text)
    if "(" in text and _TONE.search(text):
        text = _PINYIN.sub("", text)
    return text.translate(_TRAD2SIMP) if _TRAD_CHAR.search(text) else text


def _squash_line(text: str) -> str:
    s = "".join(_SIMPLE[text].split())  # str.split() and \s agree on what is whitespace
    if _BRACKET_CHAR.search(s):  # str.replace per bracket: ~10x faster than translate here
        for odd, plain in _BRACKET_PAIRS:
            s = s.replace(odd, plain)
    return s


# one document's lines are normalised by several passes, and lines repeat across reports
_SIMPLE: Final = Memo(_simplify_line, 65536)
_SQUASHED: Final = Memo(_squash_line, 65536)


@lru_cache(maxsize=16)  # the document being read, and its prose
def _simplify_lines(text: str) -> str:
    return "\n".join(map(_SIMPLE.__getitem__, text.split("\n")))


def simplify(text: str) -> str:
    """NFKC (full-width → half-width, NBSP → space) then traditional → simplified."""
    return _simplify_lines(text) if "\n" in text else _SIMPLE[text]


def squash(text: str) -> str:
    """Matching form of running text: simplified, brackets unified, no whitespace."""
    if "\n" in text:  # a document: its lines are squashed (and kept) one by one
        return "".join(map(_SQUASHED.__getitem__, text.split("\n")))
    return _SQUASHED[text]


def squash_each(lines: list[str]) -> list[str]:
    """``squash`` of each line."""
    return list(map(_SQUASHED.__getitem__, lines))


@lru_cache(maxsize=65536)
def leading_enumerator(label: str) -> str | None:
    """The enumerator a label starts with ('一', '三', '1', …) or None."""
    s = squash(label)
    m = _LEAD_ENUM.match(s)
    if not m:
        return None
    return m.group(0).strip("()、.．")


@lru_cache(maxsize=65536)
def label_core(label: str) -> str:
    """Distinctive core of a table label, for matching against the dictionary.

    Enumerators ('一、', '(三)', '1.'), parenthesised annotations ('规章(县级无此项)'),
    a leading '其中' and punctuation are dropped; numerals inside '第(五)项' are kept.
    """
    s = squash(label)
    s = s.replace("档案", "文件").replace("内容事务", "内部事务")
    while (m := _LEAD_ENUM.match(s)) and m.end():
        s = s[m.end() :]
    if "(" in s:
        s = _NUM_PAREN.sub(r"\1", s)
        while True:
            t = _PAREN.sub("", s)
            if t == s:
                break
            s = t
        cut = s.find("(", s.rfind(")") + 1)
        if cut >= 0:
            s = s[:cut]  # annotation cut off mid-way
    s = _NON_WORD.sub("", s)
    if s.startswith("其中") and len(s) > 2:
        s = s[2:]
    return s
