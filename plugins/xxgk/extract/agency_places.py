"""Where a publisher sits: its name placed in its divisions, and where each division came from.

The name's own region prefix decides; else a township resolved to its county by the
township list; else a bare level word ('县乡村振兴局') by the region of that level the text
names most; else the region the provenance gives (a user hint, an inbox folder, a ``gov.cn``
domain, the crawled site, another signal naming the same body with its divisions). Every
placement says which of these it used (``via``), so the record can show its evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from xxgk.dictionary import regions
from xxgk.dictionary.regions import Region
from xxgk.extract import townships


@dataclass(frozen=True)
class Place:
    """A region the provenance or another signal gives, and what said so."""

    region: Region
    via: str  # hints_file | inbox_path | domain | crawl | text | <a signal's name>
    snippet: str


@dataclass(frozen=True)
class Placed:
    name: str  # as stated; a bare level word replaced by the region it stands for
    qualified: str | None = None
    code: str | None = None  # finest known: 9-digit township, else 6-digit division
    division: Region | None = None
    via: str | None = None  # what placed it: name | township_list | text | a Place's via
    snippet: str | None = None


_PLACE_FOLDER = re.compile(r"[\u4e00-\u9fff]{2}")


def region_of_path(source: str | None) -> Region | None:
    """A folder of the inbox path named after a division ('inbox/青川县/…')."""
    if not source or not _PLACE_FOLDER.search(source):
        return None  # no two Chinese characters in the path: no folder names a division
    for folder in reversed(re.split(r"[\\/]", source)[:-1]):
        if not _PLACE_FOLDER.search(folder):
            continue  # '2020', 'p13': no division name, no lookup
        found = regions.resolve(folder)
        if found is not None and folder.startswith(found.name):
            return found
    return None


_TOWNSHIP_END = re.compile(r"(乡|镇|街道|苏木)(人民政府|政府|办事处)?$")
_BARE_LEVEL = re.compile(r"^(自治区|自治州|省|市|州|县|区)(?=[\u4e00-\u9fff]{2})")
_LEVEL_OF_WORD: Final[dict[str, str]] = {
    "自治区": "province",
    "自治州": "prefecture",
    "省": "province",
    "市": "prefecture",
    "州": "prefecture",
    "县": "county",
    "区": "county",
}


def chain(r: Region) -> list[Region]:
    """The division and its parents, top first (placeholders such as 市辖区 are absent)."""
    out = [r]
    while out[0].level != "province":
        top = out[0]
        # a municipality's districts point to a 500100-style placeholder the list lacks
        parent = regions.region(top.parent_code) or regions.region(top.province_code)
        if parent is None or parent.code == top.code:
            break
        out.insert(0, parent)
    return out


@lru_cache(maxsize=4096)  # the same names recur across a load's reports and years
def with_divisions(name: str, r: Region) -> str:
    """The name preceded by the divisions it does not already spell (a province left out
    when a prefecture follows it: 台州市 is unambiguous enough to read)."""
    divisions = chain(r)
    has_prefecture = any(d.level == "prefecture" for d in divisions)
    levels = [d for d in divisions if d.level != "province" or not has_prefecture]
    missing = [
        d.name for d in levels if d.name not in name and regions.short_name(d.name) not in name
    ]
    return "".join(missing) + name


def _places(name: str, text: str, hint: Region | None) -> Iterator[Region]:
    """Divisions that may hold a township, most telling first: the divisions the name spells
    before the township (not a short name the township's own name starts with: 东风路街道
    is no street of 东风区), the provenance region, the county, then the prefecture, the
    text names most (a generator: the text is read only when the earlier ones did not
    decide)."""
    if (own := _own_division(name)) is not None:
        yield own
    if hint is not None:
        yield hint
    for level in ("county", "prefecture"):
        if (mentioned := regions.most_mentioned(text, level)) is not None:
            yield mentioned


def _own_division(name: str) -> Region | None:
    part = townships.known_tail(name)
    before = name[: name.rfind(part)] if part else name
    return regions.resolve(before, "") if before else None


def _county_prefixes(name: str, text: str, hint: Region | None) -> Iterator[str]:
    for r in _places(name, text, hint):
        yield r.code.rstrip("0") if r.level != "county" else r.code


def _qualify_township(name: str, text: str, hint: Place | None) -> Placed:
    region = hint.region if hint else None
    part = townships.known_tail(name)
    if part is None:
        if (r := regions.resolve(name, text)) is not None:
            via = "name" if regions.resolve(name, "") else "text"
            return Placed(name, with_divisions(name, r), r.code, r, via, r.name)
        if hint is not None:
            r = hint.region
            return Placed(name, with_divisions(name, r), r.code, r, hint.via, hint.snippet)
        return Placed(name)
    found = townships.candidates(part)  # most names are unique: no need to read the text
    town: townships.Township | None
    if len(found) == 1:
        town, via = found[0], "township_list"
    else:
        town = townships.resolve(part, _county_prefixes(name, text, region))
        via = "township_list" if _own_division(name) else (hint.via if hint else "text")
    if town is None:  # a name several counties share and nothing says which
        return Placed(name)
    county = regions.region(town.county_code)
    if county is None:
        return Placed(name, None, town.code, None, via, part)
    return Placed(name, with_divisions(name, county), town.code, county, via, county.name + part)


def qualify(name: str, text: str, hint: Place | None) -> Placed:
    """The stated name placed in its divisions."""
    if _TOWNSHIP_END.search(name):
        return _qualify_township(name, text, hint)
    found = regions.resolve(name, text)
    if found is not None:
        return Placed(name, with_divisions(name, found), found.code, found, "name", name)
    m = _BARE_LEVEL.match(name)
    if m:  # '县乡村振兴局' + the county the report names most (or its provenance)
        level = _LEVEL_OF_WORD[m.group(1)]
        if hint and hint.region.level == level:
            place, via, snippet = hint.region, hint.via, hint.snippet
        else:
            mentioned = regions.most_mentioned(text, level)
            if mentioned is None:
                return Placed(name)
            place, via, snippet = mentioned, "text", mentioned.name
        named = place.name + name[len(m.group(1)) :]
        return Placed(named, with_divisions(named, place), place.code, place, via, snippet)
    if hint is not None:  # a department named without its region: the provenance's
        r = hint.region
        return Placed(name, with_divisions(name, r), r.code, r, hint.via, hint.snippet)
    return Placed(name)
