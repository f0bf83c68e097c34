"""Who published a report: its agency, divisions, level and kind, with the evidence.

The signals (``agency_signals``, ``agency_crawl``) are read from the most to the least
reliable, and every name they give is checked against the gazetteer (``agency_names``): the
first plausible one decides; a name with inserted text loses to any clean one, and only its
real remainder is used when nothing else names a body. The record keeps the deciding signal,
the signals that agree and those that disagree (``agency_evidence``), how far it is trusted
(``agency_confidence``), and, when a township's office compiled the report, the office
(``agency_compiler``: the government is the publisher). The name is then placed in its
divisions (``agency_places``) and the region says where it came from (``region_evidence``).
A name is never invented: when no signal names a body the agency stays None and an
``agency_unknown`` issue says why.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from pathlib import Path
from typing import Final, Literal, NotRequired, TypedDict

from xxgk.dictionary import regions
from xxgk.dictionary.regions import Region
from xxgk.extract import agency_crawl as crawl
from xxgk.extract import agency_signals as sig
from xxgk.extract.agency_names import Checked, check, compiling_office, same_body
from xxgk.extract.agency_places import Place, Placed, qualify, region_of_path
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


class Disagreement(TypedDict):
    signal: Signal
    name: str


class Evidence(TypedDict):
    signal: Signal
    snippet: str
    agrees: NotRequired[list[Signal]]  # other signals naming the same body
    disagrees: NotRequired[list[Disagreement]]  # other signals naming another body
    inserted: NotRequired[str]  # text stripped off the name (a mirror's insertion)


class RegionEvidence(TypedDict):
    via: str  # name | township_list | text | hints_file | inbox_path | domain | site | crawl | …
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
    compiler: str | None = None  # a township's office that compiled the government's report
    region_evidence: RegionEvidence | None = None


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
    "crawl_title": 0.55,
    "crawl_anchor": 0.55,
    "crawl_breadcrumb": 0.5,
}
# how far a name is trusted by what the gazetteer says of it (agency_names.Grade)
_GRADE_FACTOR: Final[dict[str, float]] = {
    "clean": 1.0,
    "bare": 1.0,
    "unverified": 0.8,
    "polluted": 0.7,  # the real remainder of a name with inserted text
}
_AGREEMENT_BONUS = 0.05  # per other signal naming the same body


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


# the report's own signals from the most to the least reliable
_TEXT_FINDERS: Final[tuple[Callable[[_Report], Found | None], ...]] = (
    lambda r: sig.form_field(r.text),
    lambda r: sig.title(r.head),
    lambda r: sig.compiled_by(r.text),
    lambda r: sig.signature(r.tail),
    lambda r: sig.page_chrome(r.text),
    lambda r: sig.subject(r.text),
    lambda r: sig.self_reference(r.text),
    lambda r: sig.breadcrumb(r.head),
)
# what the crawl and the inbox say, each read on its own (cheap: a few short strings)
_PROVENANCE_FINDERS: Final[tuple[Callable[[_Report], Found | None], ...]] = (
    lambda r: crawl.page_title(r.prov.page_title),
    lambda r: crawl.anchor_text(r.prov.anchor_text),
    lambda r: crawl.breadcrumb(r.prov.breadcrumb),
    lambda r: sig.inbox_path(r.prov.source),
)


@dataclass(frozen=True)
class _Candidate:
    found: Found
    checked: Checked

    @property
    def name(self) -> str:
        return self.checked.name


def _candidates(r: _Report, *, read_all: bool = False) -> list[_Candidate]:
    """Every signal's name with its check, in order of reliability. The report's own
    signals are read until one gives a clean name (the later ones could not win and
    would cost a scan each) unless ``read_all``; the provenance signals are always read,
    to agree or not."""
    out: list[_Candidate] = []
    if (hinted := _from_hint(r)) is not None:
        out.append(_Candidate(hinted, Checked(hinted.name, "clean")))
    for find in _TEXT_FINDERS:
        if (found := find(r)) is not None:
            out.append(_Candidate(found, check(found.name)))
            if out[-1].checked.grade == "clean" and not read_all:
                break
    for find in _PROVENANCE_FINDERS:
        if (found := find(r)) is not None:
            out.append(_Candidate(found, check(found.name)))
    return out


def _choose(cands: list[_Candidate]) -> _Candidate | None:
    """The first plausible name, in order of reliability. A name with inserted text counts
    only by its real remainder, and loses to any later clean name; with no remainder it
    counts not at all (unknown is better than a wrong name)."""
    for i, c in enumerate(cands):
        if c.checked.grade != "polluted":
            return c
        if c.checked.inserted and check(c.name).grade in ("clean", "bare"):
            clean = next((d for d in cands[i + 1 :] if d.checked.grade == "clean"), None)
            return clean or c
    return next((c for c in cands if c.checked.usable), None)


def _evidence(winner: _Candidate, cands: list[_Candidate]) -> Evidence:
    agrees: list[Signal] = []
    disagrees: list[Disagreement] = []
    for c in cands:
        if c is winner or not c.checked.usable or c.found.signal == winner.found.signal:
            continue
        if same_body(c.name, winner.name) or _same_government(c.name, winner.name):
            agrees.append(c.found.signal)
        else:
            disagrees.append(Disagreement(signal=c.found.signal, name=c.name))
    ev = Evidence(signal=winner.found.signal, snippet=winner.found.snippet)
    ev["agrees"], ev["disagrees"] = agrees, disagrees
    if winner.checked.inserted:
        ev["inserted"] = winner.checked.inserted
    return ev


def _same_government(a: str, b: str) -> bool:
    """A township government and the office that compiled its report."""
    ga, gb = compiling_office(a), compiling_office(b)
    return same_body(ga[0] if ga else a, gb[0] if gb else b)


def _confidence(winner: _Candidate, ev: Evidence) -> float:
    base = CONFIDENCE[winner.found.signal] * _GRADE_FACTOR[winner.checked.grade]
    return round(min(0.99, base + _AGREEMENT_BONUS * len(ev.get("agrees", []))), 3)


# ------------------------------------------------------------------ where it sits


def _provenance_place(prov: Provenance, h: Hint | None, text: str) -> Place | None:
    """The region the provenance gives: a hint's division, an inbox folder, a government
    domain, the site a page dump names as its owner (主办单位：…), the crawled site's name
    (its title or a crumb)."""
    if h and h.division_code and (r := regions.region(h.division_code[:6])):
        return Place(r, "hints_file", h.pattern)
    if (r := region_of_path(prov.source)) is not None:
        return Place(r, "inbox_path", prov.source or "")
    url = prov.url or url_in_text(text)
    if (r := region_of_url(url, text)) is not None:
        return Place(r, "domain", url or "")
    if (owner := crawl.site_owner(text)) is not None:
        return Place(owner[0], "site", owner[1])
    if (site := crawl.site_region(prov.page_title, prov.breadcrumb)) is not None:
        return Place(site[0], "crawl", site[1])
    return None


def _signal_place(name: str, cands: list[_Candidate]) -> Place | None:
    """Another signal naming the same body with its divisions ('北京街道办事处' in the
    title, '越秀区北京街道办事处' in the breadcrumb): its division places the name."""
    for c in cands:
        if len(c.name) > len(name) and c.checked.grade == "clean" and same_body(c.name, name):
            if (r := regions.resolve(c.name)) is not None:
                return Place(r, c.found.signal, c.name)
    return None


def _place(name: str, text: str, cands: list[_Candidate], prov: Place | None) -> Placed:
    """The name in its divisions: its own, else another signal's, else the provenance's."""
    placed = qualify(name, text, prov)
    if placed.division is None and (other := _signal_place(name, cands)) is not None:
        return qualify(name, text, other)
    if placed.code is None and (named := regions.only_named(text)) is not None:
        # a body named without its division ('审计局') in a text about one place: the
        # region is that place's, the name is left as stated (it may be the place's parent)
        return Placed(placed.name, None, named.code, None, "text", named.name)
    return placed


def _region_only(text: str, prov: Place | None) -> tuple[str | None, RegionEvidence | None]:
    """For an unnamed publisher: the provenance's region, else the one division the text
    names (a county by its full name, or a prefecture), when only one is named."""
    if prov is not None:
        return prov.region.code, RegionEvidence(via=prov.via, snippet=prov.snippet)
    named = regions.only_named(text)
    if named is None:
        return None, None
    return named.code, RegionEvidence(via="text", snippet=named.name)


def _expand(name: str, text: str) -> str:
    """'西长安街街道' → '西长安街街道办事处' when the text uses the full name."""
    if not name.endswith(("街道", "乡", "镇")):
        return name
    m = re.search(re.escape(name) + r"(办事处|人民政府)", text)
    return name + m.group(1) if m else name


def _nonblank(lines: list[str], n: int) -> list[str]:
    """The first ``n`` lines with visible text."""
    return [ln for ln in lines if ln and not ln.isspace()][:n]


_UNKNOWN = (
    "agency_unknown",
    "no title, statement, signature, page field or provenance names the publishing body",
)


def resolve(text: str, prov: Provenance | None = None) -> Agency:
    """The report's publisher. ``text`` is simplified (NFKC, simplified script); only its
    first and last few kilobytes are split into lines (the title and the signature)."""
    prov = prov or Provenance()
    h = _hint(prov)
    where = _provenance_place(prov, h, text)
    report = _Report(text, prov, h)
    cands = _candidates(report)
    winner = _choose(cands)
    if winner is None:
        code, region_ev = _region_only(text, where)
        return Agency(None, None, code, "unknown", None, None, None, _UNKNOWN, None, region_ev)
    name, compiler = winner.name, None
    if (office := compiling_office(name)) is not None:
        name, compiler = office  # the township's government publishes what its office compiled
    placed = _place(_expand(name, text), text, cands, where)
    if placed.division is None:  # the later signals may spell the same body's divisions
        placed = _place(_expand(name, text), text, _candidates(report, read_all=True), where)
    code, via, snippet = placed.code, placed.via, placed.snippet
    if h and h.division_code and len(h.division_code) >= len(code or ""):
        code, via, snippet = h.division_code, "hints_file", h.pattern
    kind = body_type(placed.name)
    ev = _evidence(winner, cands)
    issue = (
        None
        if code
        else ("agency_region_unknown", f"{placed.name}: no division found ({winner.found.signal})")
    )
    return Agency(
        placed.name,
        placed.qualified,
        code,
        admin_level(placed.name, placed.division, kind),
        kind,
        ev,
        _confidence(winner, ev),
        issue,
        compiler,
        RegionEvidence(via=via or "name", snippet=snippet or "") if code else None,
    )
