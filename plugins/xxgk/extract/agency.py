"""Who published a report: its agency, divisions, level and kind, with the evidence.

The signals (``agency_signals``) are tried from the most to the least reliable; the first
that names a body decides, and the record keeps which one it was (``agency_evidence``) and
how far it is trusted (``agency_confidence``). The stated name is then qualified with its
divisions: a region prefix in the name, a bare level word ('县乡村振兴局') resolved by the
region the report names most, a township resolved to its county by the township list, or
the region the provenance gives (a user hint, an inbox folder, a ``gov.cn`` domain). A name
is never invented: when no signal names a body the agency stays None and an
``agency_unknown`` issue says why.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Final, Literal, TypedDict

from xxgk.core.text import simplify
from xxgk.dictionary import regions
from xxgk.dictionary.regions import Region
from xxgk.extract import agency_signals as sig
from xxgk.extract import townships
from xxgk.extract.agency_signals import Found, Signal
from xxgk.extract.domains import region_of_url, url_in_text

AdminLevel = Literal["national", "province", "prefecture", "county", "township", "unknown"]
BodyType = Literal[
    "people_government",
    "government_office",
    "department",
    "township_government",
    "subdistrict_office",
    "dev_zone_committee",
]


class Evidence(TypedDict):
    signal: Signal
    snippet: str


@dataclass(frozen=True)
class Hint:
    """One row of a user's ``agencies.csv``: files whose path or URL matches ``pattern``
    (a glob) were published by ``agency`` in division ``division_code``."""

    pattern: str
    agency: str | None
    division_code: str | None


@dataclass(frozen=True)
class Provenance:
    """What is known of a file besides its bytes: inbox path, URL, user hints, and for a
    crawled file the page that linked or carried it (title, anchor text, breadcrumb)."""

    source: str | None = None
    url: str | None = None
    hints: tuple[Hint, ...] = field(default_factory=tuple)
    page_title: str | None = None
    anchor_text: str | None = None
    breadcrumb: str | None = None


@dataclass(frozen=True)
class Agency:
    name: str | None
    qualified: str | None
    region_code: str | None  # finest known: 9-digit township, else 6-digit division
    admin_level: AdminLevel
    body_type: BodyType | None
    evidence: Evidence | None
    confidence: float | None
    issue: tuple[str, str] | None  # (code, message) when the agency or its region is unknown


# how far each signal is trusted to name the publisher (the first that names one decides)
CONFIDENCE: Final[dict[Signal, float]] = {
    "hints_file": 0.99,
    "form_field": 0.95,
    "title": 0.9,
    "compiled_by": 0.85,
    "signature": 0.8,
    "page_chrome": 0.7,
    "subject": 0.7,
    "self_reference": 0.6,
    "inbox_path": 0.6,
    "breadcrumb": 0.5,
    "crawl_page": 0.55,
    "crawl_breadcrumb": 0.45,
}


def load_hints(path: Path) -> tuple[Hint, ...]:
    """``agencies.csv``: columns ``pattern,agency,division_code`` (header required)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return tuple(
            Hint(
                row["pattern"].strip(),
                (row.get("agency") or "").strip() or None,
                (row.get("division_code") or "").strip() or None,
            )
            for row in csv.DictReader(f)
            if (row.get("pattern") or "").strip()
        )


def _hint(prov: Provenance) -> Hint | None:
    for h in prov.hints:
        seen = (s for s in (prov.source, prov.url) if s)
        if any(s == h.pattern or fnmatchcase(s, h.pattern) for s in seen):
            return h
    return None


_PLACE_FOLDER = re.compile(r"[\u4e00-\u9fff]{2}")


def _region_of_path(source: str | None) -> Region | None:
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


# ------------------------------------------------------------------ qualification


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


def _chain(r: Region) -> list[Region]:
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
def _with_divisions(name: str, r: Region) -> str:
    """The name preceded by the divisions it does not already spell (a province left out
    when a prefecture follows it: 台州市 is unambiguous enough to read)."""
    chain = _chain(r)
    has_prefecture = any(d.level == "prefecture" for d in chain)
    levels = [d for d in chain if d.level != "province" or not has_prefecture]
    missing = [
        d.name for d in levels if d.name not in name and regions.short_name(d.name) not in name
    ]
    return "".join(missing) + name


def _county_prefixes(name: str, text: str, hint: Region | None) -> Iterator[str]:
    """Division codes (or prefixes) that may hold a township, most telling first: the name's
    own region prefix, the provenance region, the county the text names most (a generator:
    the text is read only when the earlier ones did not decide)."""
    for r in _places(name, text, hint):
        yield r.code.rstrip("0") if r.level != "county" else r.code


def _places(name: str, text: str, hint: Region | None) -> Iterator[Region]:
    if (own := regions.resolve(name, "")) is not None:
        yield own
    if hint is not None:
        yield hint
    if (mentioned := regions.resolve(name, text)) is not None:
        yield mentioned


@dataclass(frozen=True)
class _Placed:
    name: str  # as stated; a bare level word replaced by the region it stands for
    qualified: str | None = None
    code: str | None = None  # finest known: 9-digit township, else 6-digit division
    division: Region | None = None


def _qualify_township(name: str, text: str, hint: Region | None) -> _Placed:
    part = townships.known_tail(name)
    if part is None:
        r = regions.resolve(name, text) or hint
        return _Placed(name, _with_divisions(name, r), r.code, r) if r else _Placed(name)
    found = townships.candidates(part)  # most names are unique: no need to read the text
    town = (
        found[0] if len(found) == 1 else townships.resolve(part, _county_prefixes(name, text, hint))
    )
    if town is None:  # a name several counties share and nothing says which
        return _Placed(name)
    county = regions.region(town.county_code)
    if county is None:
        return _Placed(name, None, town.code)
    return _Placed(name, _with_divisions(name, county), town.code, county)


def _qualify(name: str, text: str, hint: Region | None) -> _Placed:
    """The stated name placed in its divisions."""
    if _TOWNSHIP_END.search(name):
        return _qualify_township(name, text, hint)
    found = regions.resolve(name, text)
    if found is not None:
        return _Placed(name, _with_divisions(name, found), found.code, found)
    m = _BARE_LEVEL.match(name)
    if m:  # '县乡村振兴局' + the county the report names most (or its provenance)
        level = _LEVEL_OF_WORD[m.group(1)]
        place = hint if hint and hint.level == level else regions.most_mentioned(text, level)
        if place is None:
            return _Placed(name)
        named = place.name + name[len(m.group(1)) :]
        return _Placed(named, _with_divisions(named, place), place.code, place)
    if hint is not None:  # a department named without its region: the provenance's
        return _Placed(name, _with_divisions(name, hint), hint.code, hint)
    return _Placed(name)


# ------------------------------------------------------------------ level and kind

_DEV_ZONE = re.compile(
    r"(开发区|高新区|实验区|示范区|试验区|园区|新区|合作区)(管理委员会|管委会)?$"
)
_BODY_TYPES: Final[tuple[tuple[BodyType, re.Pattern[str]], ...]] = (
    ("subdistrict_office", re.compile(r"街道办事处$|街道$")),
    ("township_government", re.compile(r"(乡|镇|苏木)(人民政府)?$")),
    ("government_office", re.compile(r"(人民政府办公厅|人民政府办公室|政府办公室|政府办公厅)$")),
    ("dev_zone_committee", re.compile(r"(管理委员会|管委会)$")),
    ("people_government", re.compile(r"人民政府$|^[^局委厅办]{2,12}(市|县|区|省|自治区|旗)$")),
    ("department", re.compile(r"(局|委|厅|办|办公室|委员会|署|院|所|中心|站|队|会)$")),
)


def body_type(name: str | None) -> BodyType | None:
    if not name:
        return None
    zone = _DEV_ZONE.search(name)
    if zone and not any(r.name == name for r in regions.regions()):
        return "dev_zone_committee"  # 平潭综合实验区 is no division of its own
    for kind, rx in _BODY_TYPES:
        if rx.search(name):
            return kind
    return None


_NATIONAL = re.compile(r"^(国务院|国家|中华人民共和国)")
_LEVELS: Final[tuple[tuple[AdminLevel, re.Pattern[str]], ...]] = (
    ("national", _NATIONAL),
    ("province", re.compile(r"^(?:自治区|省)")),
    ("township", re.compile(r"乡|镇|街道|苏木")),
    (
        "province",
        re.compile(r"^(?:[^市县区]{2,8}(省|自治区)|北京市|上海市|天津市|重庆市|国务院|国家)"),
    ),
    ("county", re.compile(r"(县|区|旗|县级市)")),
    ("prefecture", re.compile(r"(市|州|盟|地区)")),
)


_DIVISION_LEVELS: Final[dict[str, AdminLevel]] = {
    "province": "province",
    "prefecture": "prefecture",
    "county": "county",
}


def admin_level(name: str | None, found: Region | None, kind: BodyType | None) -> AdminLevel:
    """Level from the body's kind and division code (县级市 are counties), name cues last."""
    if not name:
        return "unknown"
    if kind in ("township_government", "subdistrict_office"):
        return "township"
    if _NATIONAL.match(name):
        return "national"
    if found is not None:
        return _DIVISION_LEVELS.get(found.level, "unknown")
    for level, rx in _LEVELS:
        if rx.search(name):
            return level
    return "unknown"


# ------------------------------------------------------------------ the resolver


_HEAD_SPAN, _TAIL_SPAN = 6000, 1500  # characters holding the title lines, the signature


class _Report:
    """What the finders read; the head and tail lines are split only when a finder that
    needs them runs (most old-format reports are decided by their 填报单位 first)."""

    def __init__(self, text: str, prov: Provenance, hint: Hint | None) -> None:
        self.text, self.prov, self.hint = text, prov, hint

    @cached_property
    def head(self) -> list[str]:
        return _nonblank(self.text[:_HEAD_SPAN].split("\n", 60)[:60], 20)

    @cached_property
    def tail(self) -> list[str]:
        return _nonblank(self.text[-_TAIL_SPAN:].split("\n")[-30:][::-1], 8)[::-1]


def _from_hint(r: _Report) -> Found | None:
    h = r.hint
    if h is None or not h.agency:
        return None
    return Found(h.agency, "hints_file", f"{h.pattern} → {h.agency}")


def _from_crawl(r: _Report) -> Found | None:
    """The crawled page's title or the link's text read as a title line, else the page's
    breadcrumb: what the site says of a file whose own text names no publisher."""
    p = r.prov
    for said in (p.page_title, p.anchor_text):
        if said and (found := sig.title([simplify(said)])) is not None:
            return Found(found.name, "crawl_page", found.snippet)
    if p.breadcrumb and (found := sig.breadcrumb([simplify(p.breadcrumb)])) is not None:
        return Found(found.name, "crawl_breadcrumb", found.snippet)
    return None


# the signals from the most to the least reliable: the first that names a body decides
_FINDERS: Final[tuple[Callable[[_Report], Found | None], ...]] = (
    _from_hint,
    lambda r: sig.form_field(r.text),
    lambda r: sig.title(r.head),
    lambda r: sig.compiled_by(r.text),
    lambda r: sig.signature(r.tail),
    lambda r: sig.page_chrome(r.text),
    lambda r: sig.subject(r.text),
    lambda r: sig.self_reference(r.text),
    lambda r: sig.breadcrumb(r.head),
    _from_crawl,
    lambda r: sig.inbox_path(r.prov.source),
)


def _expand(name: str, text: str) -> str:
    """'西长安街街道' → '西长安街街道办事处' when the text uses the full name."""
    if not name.endswith(("街道", "乡", "镇")):
        return name
    m = re.search(re.escape(name) + r"(办事处|人民政府)", text)
    return name + m.group(1) if m else name


def _nonblank(lines: list[str], n: int) -> list[str]:
    """The first ``n`` lines with visible text."""
    return [ln for ln in lines if ln and not ln.isspace()][:n]


def resolve(text: str, prov: Provenance | None = None) -> Agency:
    """The report's publisher. ``text`` is simplified (NFKC, simplified script); only its
    first and last few kilobytes are split into lines (the title and the signature)."""
    prov = prov or Provenance()
    h = _hint(prov)
    # where the file came from: a hint's division, an inbox folder, a government domain
    hint_region = (
        (regions.region(h.division_code[:6]) if h and h.division_code else None)
        or _region_of_path(prov.source)
        or region_of_url(prov.url or url_in_text(text), text)
    )
    report = _Report(text, prov, h)
    found = next((f for f in (find(report) for find in _FINDERS) if f), None)
    if found is None:
        return Agency(
            None,
            None,
            hint_region.code if hint_region else None,
            "unknown",
            None,
            None,
            None,
            (
                "agency_unknown",
                "no title, statement, signature, page "
                "field or provenance names the publishing body",
            ),
        )
    placed = _qualify(_expand(found.name, text), text, hint_region)
    code = placed.code
    if h and h.division_code and len(h.division_code) >= len(code or ""):
        code = h.division_code
    kind = body_type(placed.name)
    issue = (
        None
        if code
        else ("agency_region_unknown", f"{placed.name}: no division found ({found.signal})")
    )
    return Agency(
        placed.name,
        placed.qualified,
        code,
        admin_level(placed.name, placed.division, kind),
        kind,
        Evidence(signal=found.signal, snippet=found.snippet),
        CONFIDENCE[found.signal],
        issue,
    )
