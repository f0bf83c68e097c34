"""The division a government site's domain names: ``www.rongchang.gov.cn`` → 荣昌区.

County and city sites under ``gov.cn`` are mostly named by the pinyin of their division
(``rongchang``, ``pingtan``, ``wendeng``); ``data/region_pinyin.csv`` holds that pinyin for
every division's full and short name (see ``data/NOTICE.md``). Only ``gov.cn`` hosts count:
a mirror or aggregator domain says nothing about the publisher. Initials (``sjzca``) and
province abbreviations (``sc``) are not pinyin and match nothing; a pinyin several divisions
share (``chaoyang``) decides only when the text names exactly one of them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from xxgk.dictionary import regions
from xxgk.dictionary.regions import Region

_GOV_HOST = re.compile(r"^(?:[a-z]+://)?(?P<host>[a-z0-9.-]+)\.gov\.cn(?::\d+)?(?:[/?#]|$)", re.I)
# a crawl's page dump names the page it came from ('原文链接: https://…')
_URL_IN_TEXT = re.compile(
    r"(?:原文链接|原文地址|原始链接|来源网址|页面地址|网址|URL)\s*[:：]\s*(https?://[^\s|]+)", re.I
)


@lru_cache(maxsize=1)
def _by_pinyin() -> dict[str, str]:
    """Pinyin → the division codes it spells, space-separated (plain strings, which the
    garbage collector does not walk)."""
    text = resources.files("xxgk").joinpath("data/region_pinyin.csv").read_text(encoding="utf-8")
    index: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        code, pinyin = line.split(",", 1)
        if code not in index.get(pinyin, ""):
            index[pinyin] = f"{index[pinyin]} {code}" if pinyin in index else code
    return index


def url_in_text(text: str) -> str | None:
    """The page's own address when a crawl's dump prints it in its head."""
    if text.find("://", 0, 3000) < 0:  # most texts print no address: skip the search
        return None
    m = _URL_IN_TEXT.search(text[:3000])
    return m.group(1) if m else None


def _named_in(cands: list[Region], text: str) -> Region | None:
    named = [r for r in cands if r.name in text or regions.short_name(r.name) in text]
    return named[0] if len(named) == 1 else None


def region_of_url(url: str | None, text: str = "") -> Region | None:
    """The division a ``gov.cn`` host is named after (the label nearest ``gov.cn`` first)."""
    m = _GOV_HOST.match(url) if url else None
    if m is None:
        return None
    for label in reversed(m["host"].lower().split(".")):
        codes = _by_pinyin().get(label)
        if not codes:
            continue
        cands = [r for r in (regions.region(c) for c in codes.split()) if r is not None]
        return cands[0] if len(cands) == 1 else _named_in(cands, text)
    return None
