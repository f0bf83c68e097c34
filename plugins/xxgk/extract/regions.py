"""Where each statistical table sits in a report's lines.

Tables are bounded by the anchors every copy keeps: the old table's ``统计指标`` header
(else its 统计表 caption); for v2019/v2021 the table-二 block headers (``第二十条第…项`` /
``信息内容``), the table-三 balance note or applicant header, the table-四 heading
(``…行政复议…``) and the section-五 heading that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from xxgk.text import squash

_PIPES = re.compile(r"[|¦｜]")
_OLD_HEADER, _OLD_CAPTION = "统计指标", "情况统计表"
_OLD_END = ("单位负责人", "填报人", "打印本页", "关闭窗口", "审核人")
_T3_START = ("勾稽关系", "申请人情况", "本年新收政府信息公开申请数量")
_T4_END = re.compile(r"^(五|六)、|存在的主要问题|存在问题|改进情况|其他需要报告")


@dataclass(frozen=True)
class Region:
    table_no: int
    start: int  # first line (inclusive)
    end: int  # last line (exclusive)
    truncated: bool  # runs to the end of the document without its closing anchor


@lru_cache(maxsize=16384)
def _key(line: str) -> str:
    return _PIPES.sub("", squash(line))


def _first(keys: list[str], start: int, pred: Callable[[str], bool]) -> int | None:
    return next((i for i in range(start, len(keys)) if pred(keys[i])), None)


def _old_region(keys: list[str]) -> dict[int, Region]:
    # the 统计指标 header first: prose often names the table ('附…情况统计表') before it
    start = _first(keys, 0, lambda k: _OLD_HEADER in k)
    if start is None:
        start = _first(keys, 0, lambda k: _OLD_CAPTION in k and "。" not in k)
    if start is None:
        start = _first(keys, 0, lambda k: _OLD_CAPTION in k)
    if start is None:
        start = _first(keys, 0, lambda k: k.startswith("一、主动公开情况"))
    if start is None:
        return {}
    end = _first(keys, start + 1, lambda k: any(m in k for m in _OLD_END))
    return {1: Region(1, start, end if end is not None else len(keys), end is None)}


def _new_regions(keys: list[str]) -> dict[int, Region]:
    n = len(keys)
    t2 = _first(keys, 0, lambda k: k.startswith(("第二十条第", "信息内容")))
    t3 = _first(keys, t2 or 0, lambda k: any(m in k for m in _T3_START))
    t4 = _first(keys, t3 if t3 is not None else (t2 or 0),
                lambda k: "行政复议" in k and "结转" not in k)
    if t4 is not None and t3 is None and t2 is not None and t4 < t2:
        t4 = None
    t4_end = _first(keys, t4 + 1, lambda k: bool(_T4_END.search(k))) if t4 is not None else None
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
            end = _first(keys, s + 1, lambda k: bool(_T4_END.search(k))) if no != 4 else None
            regions[no] = Region(no, s, end if end is not None else n, end is None)
    return regions


def find_regions(lines: list[str], format_id: str) -> dict[int, Region]:
    """table number → its line range, for the tables present in the document."""
    keys = [_key(ln) for ln in lines]
    if format_id == "old":
        return _old_region(keys)
    if format_id in ("v2019", "v2021"):
        return _new_regions(keys)
    return {}
