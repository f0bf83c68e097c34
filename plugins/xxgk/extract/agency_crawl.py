"""What a crawled page says of its publisher: three separate signals, parsed, not pasted.

``xxgk crawl``'s manifest keeps, for each report, the page's ``<title>``, the text of the
link the crawl followed and the page's breadcrumb. Each is read on its own: the title and
the link text as report titles (a page title also names the site after a ``_`` or `` - ``:
``松木塘镇2020年年报_桃江县人民政府``), the breadcrumb split into crumbs on any separator
(``>``, ``›``, ``»``, ``/``, ``→``, after ``当前位置：``) and its last crumb naming a body
taken. The site's own name (a title part, a crumb) places the publisher in its division.
"""

from __future__ import annotations

import re

from xxgk.core.text import simplify
from xxgk.dictionary import regions
from xxgk.dictionary.regions import Region
from xxgk.extract import agency_signals as sig
from xxgk.extract.agency_names import check
from xxgk.extract.agency_signals import Found

_LOCATION = re.compile(r"^.*?(?:当前位置|您现在的位置|您的位置|现在位置|所在位置|位置)\s*[:：]\s*")
_SEPARATOR = re.compile(r"\s*(?:>>|[>›»/→\\]|\s-\s|-{2,})\s*")
_TITLE_PARTS = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|——)\s*")
_SITE = re.compile(r"(人民政府|政府|门户网站|政府网|办事处|管委会)$")


def crumbs(breadcrumb: str) -> list[str]:
    """'当前位置：首页 > 信息公开 › 年报' → ['首页', '信息公开', '年报']."""
    line = _LOCATION.sub("", simplify(breadcrumb).strip())
    return [c for c in (p.strip() for p in _SEPARATOR.split(line)) if c]


def last_crumb(breadcrumb: str) -> Found | None:
    """The deepest crumb that names a body (trailing crumbs such as 年报, 正文 name none)."""
    for crumb in reversed(crumbs(breadcrumb)):
        name = sig.clean(crumb)
        if name and len(name) >= 3 and not sig.STOP_START.match(name):
            return Found(name, "crawl_breadcrumb", breadcrumb.strip()[:80])
    return None


def _as_title(said: str, signal: sig.Signal) -> Found | None:
    """A title or link text read as a report title, whole or by its parts."""
    s = simplify(said)
    for part in [s, *_TITLE_PARTS.split(s)]:
        if part and (found := sig.title([part])) is not None:
            return Found(found.name, signal, said.strip()[:80])
    return None


def page_title(said: str | None) -> Found | None:
    return _as_title(said, "crawl_title") if said else None


def anchor_text(said: str | None) -> Found | None:
    return _as_title(said, "crawl_anchor") if said else None


def breadcrumb(said: str | None) -> Found | None:
    return last_crumb(said) if said else None


def site_region(title: str | None, breadcrumb: str | None) -> tuple[Region, str] | None:
    """The division of the site a page sits on: a title part or crumb that is a real
    government's name (桃江县人民政府), the deepest one named."""
    parts: list[str] = []
    if title:
        parts += _TITLE_PARTS.split(simplify(title))
    if breadcrumb:
        parts += crumbs(breadcrumb)
    named: list[tuple[Region, str]] = []
    for part in parts:
        name = re.sub(r"\s+", "", part)
        if _SITE.search(name) and check(name).grade == "clean":
            if (found := regions.resolve(name)) is not None:
                named.append((found, part))
    # the deepest: a county's code keeps more digits than its prefecture's
    return max(named, key=lambda n: len(n[0].code.rstrip("0")), default=None)


# a page dump's footer or header naming the site's owner: '主办单位：桃江县人民政府',
# '版权所有 © 桃江县人民政府办公室', '桃江县人民政府门户网站'
_OWNER = re.compile(
    r"(?:主办单位|主办|版权所有|copyright)\s*(?:[:：]|©|\(c\))?\s*(?:©\s*)?"
    r"(?P<a>[\u4e00-\u9fff]{2,20}?(?:人民政府|政府))|"
    r"(?P<b>[\u4e00-\u9fff]{2,20}?人民政府)(?:门户网站|门户网|网站)",
    re.I,
)
_EDGE = 2000  # characters at each end of a dump where a site's header and footer sit


def site_owner(text: str) -> tuple[Region, str] | None:
    """The division of the government whose site a page dump comes from (its header or
    footer), when that government's name is clean."""
    for part in (text[-_EDGE:], text[:_EDGE]):
        for m in _OWNER.finditer(part):
            name = m["a"] or m["b"]
            if check(name).grade == "clean" and (found := regions.resolve(name)) is not None:
                return found, m[0].strip()
    return None
