"""Townships and subdistricts (乡/镇/街道, 9-digit codes) and the county each belongs to.

The list is vendored in ``data/streets.csv`` (see ``data/NOTICE.md``). A report names its
township by its bare name (肖村乡, 铁边城镇) or with a body suffix (…人民政府, …办事处); the
first six digits of the 9-digit code are the county. About one name in ten repeats across
counties (城关镇 88 times): those resolve only with a county the report or its provenance
names, never by guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Township:
    code: str  # 9 digits
    name: str

    @property
    def county_code(self) -> str:
        return self.code[:6]


# the formal body name adds 人民政府 (乡/镇) or 办事处 (街道); the list has the bare name
_BODY_SUFFIX = re.compile(r"(人民政府|政府|办事处|党委)$")
# a township name: 2-8 characters ending in a township-level suffix (ethnic 乡 included)
TOWNSHIP_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:乡|镇|街道|苏木)")


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Name → its 9-digit codes, space-separated. Plain strings: 41k objects the garbage
    collector would otherwise walk on every full collection of the extracting process. Built
    with C-level passes (~10 ms, once per process: every extraction task pays it)."""
    text = resources.files("xxgk").joinpath("data/streets.csv").read_text(encoding="utf-8")
    rows = text.splitlines()[1:]  # 'code,name' with a 9-digit code
    codes, names = [r[:9] for r in rows], [r[10:] for r in rows]
    index = dict(zip(names, codes, strict=True))  # a shared name keeps its last code here
    shared: dict[str, list[str]] = {n: [] for n, k in Counter(names).items() if k > 1}
    for name, code in zip(names, codes, strict=True):
        if name in shared:  # 城关镇 ×88: every code, space-separated
            shared[name].append(code)
    index.update((n, " ".join(c)) for n, c in shared.items())
    return index


def bare_name(name: str) -> str:
    """'肖村乡人民政府' → '肖村乡', '西长安街街道办事处' → '西长安街街道'."""
    return _BODY_SUFFIX.sub("", name)


def candidates(name: str) -> tuple[Township, ...]:
    """Every township of that (bare or formal) name."""
    bare = bare_name(name)
    codes = _by_name().get(bare)
    return tuple(Township(code, bare) for code in codes.split()) if codes else ()


def resolve(name: str, counties: Iterable[str] = ()) -> Township | None:
    """The township ``name`` is, when its name is unique or one of ``counties`` (6-digit codes
    or their 4-/2-digit prefixes the report names) holds exactly one of that name."""
    found = candidates(name)
    if len(found) == 1:
        return found[0]
    for prefix in counties:
        inside = [t for t in found if t.code.startswith(prefix)]
        if len(inside) == 1:
            return inside[0]
    return None


def is_known(name: str) -> bool:
    return bare_name(name) in _by_name()


def known_tail(name: str) -> str | None:
    """The longest tail of ``name`` the list knows ('麻阳苗族自治县板栗树乡人民政府' →
    '板栗树乡', '定兴县肖村乡' → '肖村乡')."""
    bare = bare_name(name)
    for i in range(len(bare) - 1):
        if bare[i:] in _by_name():
            return bare[i:]
    return None
