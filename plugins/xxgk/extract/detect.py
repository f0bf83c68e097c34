"""Table format of a report, decided by its labels (SPEC §0.1), never by its year.

Markers count only on label-like lines (table rows, headings): prose that quotes a label
('主动公开政府信息数179条，…。') does not make a narrative report a table report.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from xxgk.core.formats import OLD, TABLE_FORMATS, V2019, V2021, YEAR_RANGES
from xxgk.core.text import squash
from xxgk.dictionary.metrics import detection_markers
from xxgk.extract.dump import DUMP_LINE

_OLD_PAIR = ("统计指标", "统计数")
# the header of the provincial tables of the 2008 regime (Fujian, Putian: 指标名称 / 计量单位 /
# <year>年度 / 历年累计, or one 年末统计 column), whose row labels vary by province
_PROVINCIAL_PAIR = ("指标名称", "计量单位")
_SPACED_FIGURE = re.compile(r"(?<!\S)\d+(?!\S)")
_FLAT_FIGURES = 6  # figures standing alone on a line of prose: a flattened table
_V2019_TAIL = re.compile(r"\(六\)其他处理[|¦\s]*(?:[0-9—\-/|¦\s]*)\(七\)总计")
# Tables 三 and 四 are the same in v2019 and v2021, and both number table 二's blocks by
# 第二十条: they say "new format", not which one.
_NEW_SHARED = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "结转下年度继续办理",
    "未经复议直接起诉",
    "复议后起诉",
    "第二十条第(一)项",
    "第二十条第(五)项",
)


def _label_text(text: str) -> str:
    """The label-like lines of a document, squashed and joined.

    A page flattened onto one line (a crawler dump) is prose and tables at once: there a
    sentence counts when it names two table labels, which prose quoting one label does not.
    """
    lines = text.split("\n")
    keep = [ln for ln in lines if "。" not in ln or len(ln.strip()) <= 40]
    if max(map(len, lines), default=0) >= DUMP_LINE:
        long = [ln for ln in lines if len(ln) >= DUMP_LINE and "。" in ln]
        keep += [seg for ln in long for seg in squash(ln).split("。") if _n_labels(seg) >= 2]
    return squash("\n".join(keep))


def _flat_tables(text: str) -> str:
    """The lines of prose that carry a flattened table ('…统计表。指标名称 计量单位 年末统计
    主动公开信息数 条 1200 …'): space-separated figures, which sentences write glued
    ('1200条'); they count as label lines."""
    return "\n".join(
        ln
        for ln in text.split("\n")
        if "。" in ln and len(_SPACED_FIGURE.findall(ln)) >= _FLAT_FIGURES
    )


def _n_labels(segment: str) -> int:
    return sum(m in segment for m in _all_markers())


@lru_cache(maxsize=1)
def _all_markers() -> tuple[str, ...]:
    # not the 统计指标/统计数 pair: prose says 统计数据
    every = {m for ms in _markers().values() for m in ms}
    return tuple(sorted(every | set(_NEW_SHARED)))


@lru_cache(maxsize=1)
def _markers() -> dict[str, tuple[str, ...]]:
    out = {fmt: tuple(squash(m) for m in ms) for fmt, ms in detection_markers().items()}
    out[OLD] = tuple(m for m in out[OLD] if m != "统计指标")  # needs its pair 统计数
    return out


def detect_format(text: str, report_year: int | None = None) -> str:
    """'v2021' | 'v2019' | 'old' | 'unknown' | 'narrative' (first matching rule wins)."""
    labels = _label_text(text)
    fmt = _by_markers(labels, report_year, 1, 1)
    if fmt == "narrative" and (flat := _flat_tables(text)):  # looked for only then: it is rare
        fmt = _by_markers(labels + "\n" + squash(flat), report_year, 1, 1)
    if fmt == "narrative":
        # a table on long lines (a crawled body on one line) is not prose: its labels count
        # on the whole text when several are there, where prose quotes one; the old
        # table's few markers are sentence words too ('主动公开政府信息数179条'), so all
        # three of its labels are needed, and a caption ('报告后附…统计表') never counts
        fmt = _by_markers(squash(text), report_year, 2, 3)
    return fmt


@lru_cache(maxsize=1)
def _old_labels() -> tuple[str, ...]:
    """The old table's markers that are labels of its rows, not its caption."""
    return tuple(m for m in _markers()[OLD] if not m.endswith("统计表"))


def _found(markers: tuple[str, ...], s: str, need: int) -> bool:
    """At least ``need`` of ``markers`` occur in ``s``."""
    hits = 0
    for m in markers:
        if m in s:
            hits += 1
            if hits >= need:
                return True
    return False


def _by_markers(s: str, report_year: int | None, need: int, old_need: int) -> str:
    """The format of which ``need`` distinct markers (``old_need`` for old) occur in ``s``."""
    markers = _markers()
    if _found(markers[V2021], s, need):
        return V2021
    if _found(markers[V2019], s, need) or (need == 1 and _V2019_TAIL.search(s)):
        return V2019
    old = markers[OLD] if old_need == 1 else _old_labels()
    if (
        _found(old, s, old_need)
        or all(m in s for m in _OLD_PAIR)
        or all(m in s for m in _PROVINCIAL_PAIR)
    ):
        return OLD
    if _found(_NEW_SHARED, s, need):
        return "unknown" if report_year is None else _shared_format(report_year)
    return "narrative"


_SHARING: Final = TABLE_FORMATS[1:]
"""The templates whose tables 三/四 are the same (v2019, v2021): their labels alone do not
tell them apart."""


def _shared_format(report_year: int) -> str:
    """Of the templates sharing tables 三/四, the latest one in force by ``report_year``
    (the first of them for an earlier year)."""
    started = [fmt for fmt in _SHARING if YEAR_RANGES[fmt][0] <= report_year]
    return started[-1] if started else _SHARING[0]
