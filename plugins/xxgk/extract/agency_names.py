"""Is a candidate name a plausible publisher? Checked against the vendored gazetteer.

A real publisher's name is a chain of real divisions (``data/regions.csv``, townships from
``data/streets.csv``) followed by a government body (``人民政府``, ``统计局``, ``办事处`` …),
or a body alone (``审计局``, ``区统计局``: unqualified, placed later). Mirror pages insert
text into it (``新葡京博彩官网区人民政府北京街道办事处``, ``puroview.com溪下乡``) and
separator-less breadcrumbs paste crumbs before it (``首页信息公开年报桃江县松木塘镇…``): such
a name is *polluted*. Where the text after the inserted part is a real name (it starts with a
real division and ends with a body), that remainder is the name; otherwise the name says
nothing reliable and loses to any clean signal.

A township's report is often compiled by its office (``两城镇人民政府党政办公室``, ``溪下乡
党政办``): the government publishes it and the office is kept as the compiler.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from xxgk.dictionary import regions
from xxgk.extract import townships

# clean: division chain + body; bare: a body without division ('审计局', '区统计局', placed
# later by the text and provenance); unverified: a division-like prefix the gazetteer lacks
# ('示例市统计局'); polluted: inserted text, usable only through ``stripped``
Grade = Literal["clean", "bare", "unverified", "polluted"]


@dataclass(frozen=True)
class Checked:
    name: str  # the name to use: the remainder when inserted text was stripped
    grade: Grade
    inserted: str | None = None  # the text stripped off (for the evidence)

    @property
    def usable(self) -> bool:
        return self.grade != "polluted" or self.inserted is not None


_BODY = re.compile(
    r"(人民政府|政府|办公厅|办公室|委员会|管理委员会|管委会|街道办事处|办事处|厅|局|委|办|署|院|"
    r"中心|所|站|队|会|乡|镇|街道|苏木|市|县|区|旗|州|盟|省|自治区|自治县|自治州|实验区|新区)$"
)
# parent bodies a name may start with that are no division (国家税务总局青川县税务局)
_NATIONAL = re.compile(r"^(?:国家|国务院|中华人民共和国|中共|中国共产党|中国|共青团|全国)")
_LEVEL_WORD = re.compile(r"^(?:自治区|自治州|自治县|省|市|州|县|区|旗|盟)")
# ASCII runs a mirror inserts (domains, URLs, digits, ids) and breadcrumb separators
_JUNK = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/?=&%#~-]*|[>›»/|→\s()（）\[\]【】]+")
# what is left of a column name once its body word is gone ('乡镇(街道)', '镇人民政府',
# '县直部门'): no place, so no publisher
_GENERIC_CORE = re.compile(r"^(?:乡镇|镇街|乡|镇|街道|县直|市直|区直|直属|部门|单位|各)+$")
_DIVISION_LIKE = re.compile(r"^(?P<core>[\u4e00-\u9fff]{2,}?)(?:省|市|县|区|旗|州|盟)")
_MAX_CORE = 5  # longest core of a division name outside autonomous ones (自治县 …)
# a division the gazetteer no longer lists, before a real one ('垦利县…镇', '巢湖市含山县…':
# renamed or merged since): a short place name and its level, no inserted text
_OLD_DIVISION = re.compile(r"(?:[\u4e00-\u9fff]{1,3}(?:省|市|县|区|旗|州|盟)){1,2}")


@lru_cache(maxsize=1)
def _full_names() -> frozenset[str]:
    return frozenset(r.name for r in regions.regions() if len(r.name) >= 3)


def _township_at(name: str, i: int) -> int:
    """Length of the longest known township name starting at ``i`` (0 if none)."""
    best = 0
    for m in re.finditer(r"乡|镇|街道|苏木", name[i : i + 12]):
        # a place name before the suffix: the list also has bare '街道' rows
        if m.start() > 0 and townships.is_known(name[i : i + m.end()]):
            best = m.end()
    return best


def _division_at(name: str, i: int, *, strong: bool) -> int:
    """Length of the longest division name starting at ``i``: a region's full name or, at a
    name's start only (``strong=False``), its short name; or a known township."""
    n = _township_at(name, i)
    full = _full_names()
    for length in range(min(len(name) - i, 12), 2, -1):
        if name[i : i + length] in full:
            n = max(n, length)
            break
    if not strong and n == 0:
        n = regions.prefix_length(name[i:])
    return n


def _chain_end(name: str, start: int, *, strong: bool) -> int:
    """Where the run of divisions starting at ``start`` ends (``start`` when there is none)."""
    pos = start
    while pos < len(name):
        n = _division_at(name, pos, strong=strong or pos > start)
        if n == 0:
            break
        pos += n
    return pos


def _is_body(rest: str) -> bool:
    return rest == "" or bool(_BODY.search(rest))


def _real_remainder(name: str) -> int | None:
    """Where, after some inserted text, a real name starts: a full division or a known
    township whose remainder is a body (the first such position)."""
    for i in range(1, len(name) - 1):
        end = _chain_end(name, i, strong=True)
        if end > i and _is_body(name[end:]) and end - i >= 3:
            return i
    return None


# a division-like word that is a zone or a body's branch, not a division (综合实验区, 公安局…分局)
_ZONE = re.compile(
    r"(?:实验|试验|开发|高新|示范|新|园|合作|保税|工业|风景|名胜|景|林|矿|管理|产业|功能|度假|"
    r"综合|旅游|物流|港|口岸|自贸)区$"
)
# a zone's own bodies: '…高新技术产业开发区管理委员会' is no place the gazetteer must know
_ZONE_BODY = re.compile(r"(?:管委会|管理委员会|工委|管理局)$")
_HAS_BODY = re.compile(r"局|委|厅|办|政府|院|所|中心")


def _fake_division(rest: str) -> bool:
    """Does ``rest`` open with a place name the gazetteer lacks ('威尼斯人官网县…')?"""
    m = _DIVISION_LIKE.match(rest)
    if m is None or _ZONE.search(m[0]) or _HAS_BODY.search(m["core"]) or _ZONE_BODY.search(rest):
        return False
    return m[0] not in _full_names() and regions.prefix_length(rest) == 0


def _grade_clean(name: str) -> Checked:
    """``name`` without junk: clean, bare, unverified or polluted."""
    end = _chain_end(name, 0, strong=False)
    if end > 0 and _fake_division(name[end:]):
        # '澳门' + '威尼斯人官网县人民政府': a division's short name opening inserted text
        start = _real_remainder(name)
        return (
            Checked(name[start:], "polluted", name[:start]) if start else Checked(name, "polluted")
        )
    if end > 0:
        rest = name[end:]
        if _is_body(rest):
            inner = _real_remainder(rest) if rest else None
            if inner is None or _BODY.search(rest[:inner]):
                return Checked(name, "clean")  # '县人民政府X镇…' is a body's own chain
            # text inserted between the divisions and the rest: '桃江县新葡京松木塘镇…'
            return Checked(name[:end] + rest[inner:], "polluted", rest[:inner])
        return Checked(name, "polluted")
    if _NATIONAL.match(name) or _LEVEL_WORD.match(name) or not _DIVISION_LIKE.match(name):
        start = _real_remainder(name)
        if start is not None and not _NATIONAL.match(name) and not _LEVEL_WORD.match(name):
            if not _BODY.search(name[:start]):
                return Checked(name[start:], "polluted", name[:start])
        rest = _BODY.sub("", name)
        plausible = bool(_BODY.search(name) and rest and not _GENERIC_CORE.match(rest))
        return Checked(name, "bare" if plausible else "polluted")
    # 'X市…' where X is no division: inserted text before a real name, or an unknown place
    start = _real_remainder(name)
    if start is not None and not _OLD_DIVISION.fullmatch(name[:start]):
        return Checked(name[start:], "polluted", name[:start])
    like = _DIVISION_LIKE.match(name)
    if (
        like
        and len(like["core"]) > _MAX_CORE
        and "自治" not in name
        and not _ZONE_BODY.search(name)
    ):
        return Checked(name, "polluted")  # '新葡京博彩官网区人民政府': no place is named so
    return Checked(name, "unverified")


@lru_cache(maxsize=4096)  # candidate names recur across a load's reports
def check(name: str) -> Checked:
    """How plausible ``name`` is as a publisher's name, and the real name inside it."""
    junk = "".join(_JUNK.findall(name))
    bare = _JUNK.sub("", name)
    if not bare:
        return Checked(name, "polluted")
    found = _grade_clean(bare)
    if not junk:
        return found
    # junk stripped only where a real name remains: 'puroview.com区统计局' names no place
    if found.grade == "clean" or (found.grade == "polluted" and found.inserted):
        inserted = (found.inserted or "") + junk
        return Checked(found.name, "polluted", inserted)
    return Checked(name, "polluted")


# ------------------------------------------------------------------ compiling offices

_OFFICE = re.compile(
    r"^(?P<gov>.+?(?P<kind>乡|镇|街道|苏木)(?P<suffix>人民政府|政府|办事处)?)"
    r"(?P<office>党政综合办公室|党政综合办|党政办公室|党政办|综合办公室|办公室)$"
)
_GOVERNMENT_OF = {"乡": "人民政府", "镇": "人民政府", "苏木": "人民政府", "街道": "办事处"}


def compiling_office(name: str) -> tuple[str, str] | None:
    """(the government that publishes, the office that compiled) when ``name`` is the office
    of a 乡/镇/街道 government: its report is the government's."""
    m = _OFFICE.match(name)
    if m is None:
        return None
    place = m["gov"][: len(m["gov"]) - len(m["suffix"] or "")]
    return place + _GOVERNMENT_OF[m["kind"]], name


def same_body(a: str, b: str) -> bool:
    """Two names of one body: equal, one the other with its divisions spelt out
    (北京街道办事处 / 越秀区北京街道办事处), or one township's government and its place."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and long.endswith(short) and _BODY.search(short):
        return True
    ta, tb = townships.known_tail(a), townships.known_tail(b)
    return ta is not None and ta == tb
