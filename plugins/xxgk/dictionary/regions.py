"""Administrative divisions (GB/T 2260 6-digit codes) and their recognition in agency names.

The code list is vendored in ``data/regions.csv`` (see ``data/NOTICE.md``). A name is
resolved by its longest region prefix ('呼图壁县商务…局' → 652323); names shared by several
divisions (朝阳区) are decided by the other regions the report mentions.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
    "州",
)
_PEOPLES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
    "拉祜 水 东乡 "
    "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 普米 塔吉克 怒 鄂温克 保安 "
    "裕固 京 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_ETHNIC = re.compile("(" + "|".join(f"{p}族?" for p in _PEOPLES) + ")+$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # province | prefecture | county
    parent_code: str | None

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str | None:
        return None if self.level == "province" else self.code[:4] + "00"


def short_name(name: str) -> str:
    """'新疆维吾尔自治区' → '新疆', '昌吉回族自治州' → '昌吉', '呼图壁县' → '呼图壁'."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            core = _ETHNIC.sub("", name[: -len(suffix)])
            return core if len(core) >= 2 else name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    text = resources.files("xxgk").joinpath("data/regions.csv").read_text(encoding="utf-8")
    return tuple(
        Region(r["code"], r["name"], r["level"], r["parent_code"] or None)
        for r in csv.DictReader(text.splitlines())
    )


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Region]:
    out: dict[str, Region] = {}
    for r in regions():
        out.setdefault(r.code, r)
    return out


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[Region, ...]]:
    """full and short name → regions (a short name only when it is at least 2 characters)."""
    index: dict[str, list[Region]] = {}
    for r in regions():
        for key in {r.name, short_name(r.name)}:
            if len(key) >= 2:
                index.setdefault(key, []).append(r)
    return {k: tuple(v) for k, v in index.items()}


def region(code: str | None) -> Region | None:
    return _by_code().get(code) if code else None


_PLACE_CHARS = "镇乡村街县区市旗州盟"


def _prefix_candidates(name: str) -> list[Region]:
    """Regions whose full name, or short name not followed by another place suffix
    ('太平' in '太平镇' is not 太平区), starts ``name`` (longest first)."""
    names = _names()
    for length in range(min(len(name), 12), 1, -1):
        prefix, nxt = name[:length], name[length : length + 1]
        hits = [
            r
            for r in names.get(prefix, ())
            if r.name == prefix or nxt not in _PLACE_CHARS or not nxt
        ]
        if hits:
            return hits
    return []


def prefix_length(name: str) -> int:
    """Length of the division name ``name`` starts with (a full name, or a short name not
    followed by another place word), 0 when it starts with none."""
    cands = _prefix_candidates(name)
    return len(_matched(cands[0], name)) if cands else 0


@lru_cache(maxsize=1)
def _by_bigram() -> dict[str, tuple[str, ...]]:
    """First two characters → the region names (full and short) starting with them."""
    index: dict[str, list[str]] = {}
    for key in _names():
        index.setdefault(key[:2], []).append(key)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


@lru_cache(maxsize=1)
def _first_chars() -> re.Pattern[str]:
    """Where a region name can start: a character names start with, followed by one that
    comes second in a name (a C-speed scan finds the few places to look)."""
    firsts = "".join(sorted({k[0] for k in _by_bigram()}))
    seconds = "".join(sorted({k[1] for k in _by_bigram()}))
    return re.compile(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")


@lru_cache(maxsize=64)
def _name_counts(text: str) -> Counter[str]:
    """How often each region name occurs in ``text`` (longest name at each position)."""
    counts: Counter[str] = Counter()
    index = _by_bigram()
    free = 0  # names do not overlap: the next one starts after the last found
    for m in _first_chars().finditer(text):
        i = m.start()
        if i < free:
            continue
        for key in index.get(text[i : i + 2], ()):
            if text.startswith(key, i):
                counts[key] += 1
                free = i + len(key)
                break
    return counts


def _mentions(text: str) -> Counter[str]:
    """How often each province/prefecture (by code) is named in the text."""
    counts: Counter[str] = Counter()
    names = _names()
    for key, n in _name_counts(text).items():
        for r in names[key]:
            if r.level != "county":
                counts[r.code] += n
    return counts


def _score(r: Region, mentions: Counter[str]) -> int:
    return mentions[r.province_code] + (mentions[r.prefecture_code] if r.prefecture_code else 0)


_LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def _pick(cands: list[Region], text: str) -> Region:
    if len({c.code for c in cands}) == 1:
        return cands[0]
    mentions = _mentions(text)
    return sorted(cands, key=lambda r: (-_score(r, mentions), _LEVEL_ORDER[r.level], r.code))[0]


def _descend(found: Region, rest: str) -> Region:
    """'威海市' + '文登区信访局' → 文登区, a division of the one already found."""
    for child in _prefix_candidates(rest):
        if child.code != found.code and child.code.startswith(found.code.rstrip("0")[:4]):
            return _descend(child, rest[len(_matched(child, rest)) :])
    return found


def _matched(r: Region, name: str) -> str:
    return r.name if name.startswith(r.name) else short_name(r.name)


def _county_mentioned(text: str) -> Region | None:
    """The county-level division a report names most (for 乡/镇/街道 bodies); a name
    several counties share (通州区) decided by the province or prefecture the text names,
    else by none: two counties named equally often are no answer."""
    counts: Counter[str] = Counter()
    names = _names()
    for key, n in _name_counts(text).items():
        for r in names[key]:
            if r.level == "county" and key == r.name and len(key) >= 3:
                counts[r.code] += n
    if not counts:
        return None
    mentions = _mentions(text)

    def rank(code: str) -> tuple[int, int, int]:
        r = _by_code()[code]
        return counts[code], _chained(r, text), _score(r, mentions)

    ranked = sorted(counts, key=lambda c: (tuple(-k for k in rank(c)), c))
    if len(ranked) > 1 and rank(ranked[0]) == rank(ranked[1]):
        return None
    return _by_code()[ranked[0]]


def _chained(r: Region, text: str) -> int:
    """How often the text spells the county with its prefecture ('武汉市汉阳区'): a report
    names its own county so, a neighbour it mentions seldom."""
    parent = _by_code().get(r.prefecture_code or "")
    if parent is None or parent.code == r.code:
        return 0
    short = short_name(parent.name)
    return text.count(parent.name + r.name) + (
        text.count(short + r.name) if short != parent.name else 0
    )


def only_named(text: str) -> Region | None:
    """The division a text about one place names: its most named county (full name) when
    named at least twice as often as any other, else likewise its prefecture; None when the
    text names several equally or none."""
    county = _county_mentioned(text)
    counts = _name_counts(text)
    if county is not None:
        others = [n for key, n in counts.items() if key != county.name and _is_county_name(key)]
        if counts[county.name] >= 2 * max(others, default=0):
            return county
        return None
    prefectures: Counter[str] = Counter()
    for key, n in counts.items():
        for r in _names()[key]:
            if r.level == "prefecture" and len(key) >= 3:
                prefectures[r.code] += n
    top = prefectures.most_common(2)
    if top and (len(top) == 1 or top[0][1] >= 2 * top[1][1]):
        return _by_code()[top[0][0]]
    return None


def _is_county_name(key: str) -> bool:
    return len(key) >= 3 and any(r.level == "county" and r.name == key for r in _names()[key])


def resolve(agency: str | None, text: str = "") -> Region | None:
    """The division an agency belongs to, from its name (and the report text for ties)."""
    if not agency:
        return None
    cands = _prefix_candidates(agency)
    if cands:
        found = _pick(cands, text)
        return _descend(found, agency[len(_matched(found, agency)) :])
    if re.search(r"(乡|镇|街道|街道办事处|苏木)(人民政府)?$", agency):
        return _county_mentioned(text)
    return None


def most_mentioned(text: str, level: str) -> Region | None:
    """The division of ``level`` the text names most often (full or short name; counties by
    their full name only, as short county names are common words)."""
    if level == "county":
        return _county_mentioned(text)
    counts = _mentions(text)
    best = [(n, code) for code, n in counts.items() if _by_code()[code].level == level]
    return _by_code()[max(best)[1]] if best else None
