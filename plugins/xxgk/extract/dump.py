"""Crawler dumps: a whole report on one line → one pseudo-line per table row.

A crawl's ``page.txt`` keeps a report's body on one long line, tables included. Cut at
row boundaries (after each value run, before numbered labels, headings and table anchors),
the table reader sees one row per line again; the runs themselves may still be glued and
are split by ``xxgk.extract.glued``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from xxgk.core.text import HALF_WIDTH

DUMP_LINE: Final = 300  # a line this long that holds table labels is a flattened page
# a cut goes before these: table headers, and 其中： that opens a sub-row (a blank cell before
# it leaves the two labels glued)
_ANCHORS: Final = ("第二十条第", "指标名称", "统计指标", "行政复议行政诉讼", "其中：", "其中:")
# words printed only in a table's header or rows; a long line with two of them holds a table
_DUMP_MARKERS: Final = (
    "第二十条第",
    "信息内容",
    "指标名称",
    "历年累计",
    "统计指标",
    "申请答复数",
    "情况统计表",
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "结转下年度继续办理",
    "未经复议直接起诉",
    "复议后起诉",
)
# a value run: numbers separated by spaces, glued to the label after it (not a date or an
# ordinal: 2016年, 第3项); its last digit before '、'/'.' + label is the next row's number
_RUN = re.compile(
    r"(?<![\d.第])(?P<run>[+\-]*\d+(?:\.\d+)?(?:(?:[ \t\u3000]+[+\-]*|[+\-]+)\d+(?:\.\d+)?)*"
    r"(?:万元|元)?)"
    r"(?P<enum>\d[、.．](?=\D))?(?=[^\d年月日号%％〕\])）、.．]|$)",
    re.ASCII,
)
_SIGN_JOIN = re.compile(r"(?<=\d)(?=[+\-]+\d)", re.ASCII)
_ENUM_ONLY = re.compile(r"(?<![\d.第：:])\d{1,2}[、.．](?=[^\d\s])", re.ASCII)
_CN = "一二三四五六七八九十"
_HEADING = re.compile(rf"(?<![第\d{_CN}])(?:[{_CN}]、|（[{_CN}]）)")


def is_dump(lines: Sequence[str]) -> bool:
    """A page flattened onto long lines that still hold a statistical table."""
    if max(map(len, lines), default=0) < DUMP_LINE:  # nearly every report: one C-level pass
        return False
    return any(len(ln) >= DUMP_LINE and sum(m in ln for m in _DUMP_MARKERS) >= 2 for ln in lines)


def _split_long(line: str) -> list[str]:
    marks = {0, len(line)}
    probe = line.translate(HALF_WIDTH)  # '３９ ＋１' is a run too; same positions as line
    depth = _paren_depth(probe)
    for m in _RUN.finditer(probe):
        if not depth[m.start()]:  # '（…计1条）' is a label's own number, not a value
            marks.add(m.end("run"))  # the label after a run starts a row
    for m in _ENUM_ONLY.finditer(probe):
        marks.add(m.start())
    for m in _HEADING.finditer(probe):
        marks.add(m.start())
    for a in _ANCHORS:
        marks.update(m.start() for m in re.finditer(re.escape(a), line))
    marks.update(m.end() for m in re.finditer("。", line))
    cuts = sorted(marks)
    pieces = (line[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False))
    return [_sign_boundaries(p) for p in pieces if p]


def _sign_boundaries(piece: str) -> str:
    """A sign inside a run starts a cell ('26-5430' = 26 · -5…): make it a boundary."""
    at = [m.start() for m in _SIGN_JOIN.finditer(piece.translate(HALF_WIDTH))]
    for i in reversed(at):
        piece = piece[:i] + " " + piece[i:]
    return piece


def _paren_depth(line: str) -> list[int]:
    """Per position of ``line``: how many parentheses are open there."""
    out, depth = [], 0
    for ch in line:
        out.append(depth)
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return out


def reline(lines: Sequence[str]) -> list[str]:
    """The lines with every long line cut into one pseudo-line per table row.

    A cut goes after each value run (the label that follows starts a row), before a
    numbered label (``2、政府公报公开数`` whose ``2`` was glued to the previous run), before
    a section or group heading and table anchor, and after each sentence.
    """
    out: list[str] = []
    for ln in lines:
        out.extend(_split_long(ln) if len(ln) >= DUMP_LINE else [ln])
    return out
