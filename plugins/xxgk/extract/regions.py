"""Where each statistical table sits in a report's lines.

Tables are bounded by the anchors every copy keeps: the old table's ``统计指标`` header
(``指标名称`` in provincial tables)
(else its 统计表 caption); for v2019/v2021 the table-二 block headers (``第二十条第…项`` /
``信息内容``), the table-三 balance note or applicant header, the table-四 heading
(``…行政复议…``) and the section-五 heading that follows it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from xxgk.core.text import squash_each

_PIPES = re.compile(r"[|¦｜]")
_OLD_HEADERS, _OLD_CAPTION = ("统计指标", "指标名称"), "情况统计表"
_OLD_END = ("单位负责人", "填报人", "打印本页", "关闭窗口", "审核人")
_T3_START = ("勾稽关系", "申请人情况", "本年新收政府信息公开申请数量")
_T4_END = re.compile(r"^(五|六)、|存在的主要问题|存在问题|改进情况|其他需要报告", re.M)


@dataclass(frozen=True)
class Region:
    table_no: int
    start: int  # first line (inclusive)
    end: int  # last line (exclusive)
    truncated: bool  # runs to the end of the document without its closing anchor


class _Keys:
    """A document's lines in matching form (squashed, pipes removed) joined into one text,
    so an anchor is found by one C-level search instead of a Python test per line."""

    def __init__(self, lines: list[str]) -> None:
        self.text = _PIPES.sub("", "\n".join(squash_each(lines)))
        self.keys = self.text.split("\n")
        self.starts = list(accumulate((len(k) + 1 for k in self.keys[:-1]), initial=0))

    def __len__(self) -> int:
        return len(self.keys)

    def first(
        self, start: int, *needles: str, unless: str = "", at_start: bool = False
    ) -> int | None:
        """First line from ``start`` holding one of ``needles`` (at its start with
        ``at_start``) and not holding ``unless``."""
        if start >= len(self.keys):
            return None
        pos = self.starts[start]
        while True:
            hits = [h for h in (self._find(n, pos, at_start) for n in needles) if h >= 0]
            if not hits:
                return None
            line = bisect_right(self.starts, min(hits)) - 1
            if not unless or unless not in self.keys[line]:
                return line
            if line + 1 >= len(self.keys):
                return None
            pos = self.starts[line + 1]

    def _find(self, needle: str, pos: int, at_start: bool) -> int:
        """Offset of ``needle`` from ``pos`` (always a line start), or -1."""
        if not at_start:
            return self.text.find(needle, pos)
        if self.text.startswith(needle, pos):
            return pos
        hit = self.text.find("\n" + needle, pos)
        return hit + 1 if hit >= 0 else -1

    def first_match(self, start: int, rx: re.Pattern[str]) -> int | None:
        """First line from ``start`` where the multi-line pattern ``rx`` matches."""
        if start >= len(self.keys):
            return None
        m = rx.search(self.text, self.starts[start])
        return None if m is None else bisect_right(self.starts, m.start()) - 1


def _old_region(keys: _Keys) -> dict[int, Region]:
    # the 统计指标 header first: prose often names the table ('附…情况统计表') before it
    start = keys.first(0, *_OLD_HEADERS)
    if start is None:
        start = keys.first(0, _OLD_CAPTION, unless="。")
    if start is None:
        start = keys.first(0, _OLD_CAPTION)
    if start is None:
        start = keys.first(0, "一、主动公开情况", at_start=True)
    if start is None:
        return {}
    end = keys.first(start + 1, *_OLD_END)
    return {1: Region(1, start, end if end is not None else len(keys), end is None)}


def _new_regions(keys: _Keys) -> dict[int, Region]:
    n = len(keys)
    t2 = keys.first(0, "第二十条第", "信息内容", at_start=True)
    t3 = keys.first(t2 or 0, *_T3_START)
    t4 = keys.first(t3 if t3 is not None else (t2 or 0), "行政复议", unless="结转")
    if t4 is not None and t3 is None and t2 is not None and t4 < t2:
        t4 = None
    t4_end = keys.first_match(t4 + 1, _T4_END) if t4 is not None else None
    regions: dict[int, Region] = {}
    bounds = [(2, t2), (3, t3), (4, t4)]
    present = [(no, s) for no, s in bounds if s is not None]
    for i, (no, s) in enumerate(present):
        assert s is not None
        if i + 1 < len(present):
            nxt = present[i + 1][1]
            assert nxt is not None
            regions[no] = Region(no, s, nxt, False)
        elif no == 4 and t4_end is not None:
            regions[no] = Region(no, s, t4_end, False)
        else:
            end = keys.first_match(s + 1, _T4_END) if no != 4 else None
            regions[no] = Region(no, s, end if end is not None else n, end is None)
    return regions


def find_regions(lines: list[str], format_id: str) -> dict[int, Region]:
    """table number → its line range, for the tables present in the document."""
    keys = _Keys(lines)
    if format_id == "old":
        return _old_region(keys)
    if format_id in ("v2019", "v2021"):
        return _new_regions(keys)
    return {}
