"""Cell values: the raw text of a table cell → a number, or None for blank.

Blank, '—' and '/' are None (not reported / not applicable); '0', '〇', '零' are 0.
Signed and prefixed forms ('+3', '增1423', '减2', '--253'), decimals, full-width digits,
units inside the cell ('251000元' → 25.1 万元, '6人次') and small Chinese numerals are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from xxgk.core.text import simplify

BLANK_MARKS: Final = frozenset(
    {"", "—", "——", "———", "-", "--", "/", "\\", "无", "空", "─", "一一"}
)
UNITS: Final = (
    "万元",
    "人次",
    "元",
    "条",
    "件",
    "次",
    "篇",
    "个",
    "人",
    "项",
    "名",
    "场",
    "期",
    "家",
)
_UNIT_RE = "|".join(UNITS)
_CN_DIGITS: Final = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBER = re.compile(
    rf"^(?P<sign>\+|-{{1,2}}|增加?|减少?|新增|减)?\s*"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    rf"(?P<unit>{_UNIT_RE})?$"
)
_CN_NUMBER = re.compile(r"^[零〇一二两三四五六七八九十百千]+$")
# Longer figures are not read as values: int() refuses over 4,300 digits and a value past
# ~308 digits overflows the float it is stored as. The bound is that high because a glued
# run (a crawled table row's cells run together, split later by ``xxgk.extract.glued``) is
# read as one long value first.
MAX_DIGITS: Final = 300
# a whole part (not after a '.' or inside a run) past MAX_DIGITS, leading zeros aside
_OVERLONG = re.compile(
    rf"(?<![.\d])(?:0*[^\D0]\d{{{MAX_DIGITS},}}|\d{{1,3}}(?:,\d{{3}}){{{MAX_DIGITS // 3},}})"
)


@dataclass(frozen=True)
class CellValue:
    value: float | int | None
    is_number: bool  # the text is a value (possibly blank), not a label
    unit: str | None = None


def chinese_numeral(text: str) -> int | None:
    """'十二' → 12, '三百零五' → 305, '〇' → 0; None when not a plain Chinese numeral."""
    if not _CN_NUMBER.match(text):
        return None
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            mult = {"十": 10, "百": 100, "千": 1000}[ch]
            section += (digit or 1) * mult
            digit = 0
    total += section + digit
    return total


def as_number(num: str) -> float | int | None:
    """'1,234' → 1234, '1.5' → 1.5; None when the whole part has over ``MAX_DIGITS`` digits."""
    num = num.replace(",", "")
    if len(num.partition(".")[0].lstrip("0")) > MAX_DIGITS:
        return None
    return float(num) if "." in num else int(num)


def is_overlong(raw: str) -> bool:
    """Whether ``raw`` holds a digit run too long to be a value (see ``MAX_DIGITS``)."""
    return _OVERLONG.search(raw) is not None


# a lone 0 and more digits after a blank ('0 2', '0 0'): two figures in one cell (a scan's
# cell holding its neighbour's figure too). Other digits split by a blank are one number:
# a number wrapped in a narrow cell comes as '24252.3110 82'
_TWO_FIGURES = re.compile(r"(?<![\d.,])0\s+\d")


@lru_cache(maxsize=65536)  # cell texts repeat across reports ('0', '', '1', …)
def parse_cell(raw: str, metric_unit: str | None = None) -> CellValue:
    """Read one cell. ``metric_unit`` converts amounts (元 in a 万元 cell → /10000)."""
    simple = simplify(raw)
    if _TWO_FIGURES.search(simple):
        return CellValue(None, False)
    s = re.sub(r"\s+", "", simple)
    if s in BLANK_MARKS or re.fullmatch(r"[—\-─_/]+", s):
        return CellValue(None, True)
    m = _NUMBER.match(s)
    if m:
        value = as_number(m["num"])
        if value is None:  # kept as a value text with no value; the record says why
            return CellValue(None, True, m["unit"])
        sign = m["sign"] or ""
        if sign.startswith("-") or sign.startswith("减"):
            value = -value
        unit = m["unit"]
        if unit == "元" and metric_unit == "万元":
            value = round(value / 10000, 6)
        return CellValue(value, True, unit)
    cn = chinese_numeral(s)
    # a lone '一'/'二' is more often a label fragment (headers split per character) than a value
    if cn is not None and (len(s) >= 2 or s in ("零", "〇")) and len(s) <= 4:
        return CellValue(cn, True)
    return CellValue(None, False)


def is_value_text(raw: str) -> bool:
    return parse_cell(raw).is_number


def is_blank_mark(raw: str) -> bool:
    cell = parse_cell(raw)
    return cell.is_number and cell.value is None
