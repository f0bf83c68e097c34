"""What a crawled page says about the site: its title, breadcrumb, links and pager.

Pure functions over decoded HTML (lxml's HTML parser, never regular expressions over the
markup), so the crawler (``xxgk.land.crawl``) stays about HTTP and files.

Links are sorted into what a government 年报 column is made of:

- ``page``: pagination of the column (``下一页``, ``index_3.html``, ``?page=3``) and the pages a
  script pager such as ``createPageHTML(total, current, "index", "html")`` writes at run time
  (the page count is in the page, the links are not);
- ``report``: a link whose anchor text names a report (年报, 年度报告);
- ``attachment``: a file a decoder reads (pdf, doc, docx, wps, xls, xlsx, zip);
- ``other``: anything else (menus, calendars, …): walked only inside the column's path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree, html

LinkKind = Literal["page", "report", "attachment", "other"]
ATTACHMENT_SUFFIXES = frozenset({"pdf", "doc", "docx", "wps", "xls", "xlsx", "zip"})
_PAGER_TEXT = frozenset(
    {"下一页", "下页", "上一页", "上页", "尾页", "末页", "next", ">", ">>", "»"}
)
_PAGED_HREF = re.compile(
    r"(?:^|/)index_\d+\.s?html?$|[?&](?:page|pageindex|pageno|pagenum|p)"
    r"=\d+",
    re.I,
)
_REPORT_TEXT = re.compile(r"年报|年度报告")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PAGER_CALL = "createPageHTML"
_PAGER_ARGS_MAX = 256  # real calls are ~50 characters; anything longer is not a pager
_PAGER_ARG = re.compile(r"""(\d+)|["']([^"'\n]*)["']|([A-Za-z_$][\w$]*)""")
# a plain variable set to a number (``var countPage = 5``, ``countPage=5;``), not ``a.b = 5``
_ASSIGNED = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(\d{1,9})\b")
_STEM = re.compile(r"[\w-]{1,100}")
_PAGE_EXT = re.compile(r"s?html?")
_CRUMB_HINT = re.compile(r"crumb|position|location|dqwz|weizhi|bread|curpos|nav-?path", re.I)
_CRUMB_TEXT = re.compile(r"^\s*(?:当前位置|您现在的位置|您的位置|所在位置)\s*[:：]?")
_SPACE = re.compile(r"\s+")
_ATTACHMENT_NOTE = re.compile(r"详见附件|见附件|请下载附件|附件下载|点击下载")
STUB_MAX_CHARS = 300  # a page with less body text than this and an attachment is a cover


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    text: str  # anchor text (or the link's title attribute), whitespace collapsed
    kind: LinkKind


@dataclass(frozen=True)
class PageInfo:
    title: str | None
    breadcrumb: str | None
    links: list[Link] = field(default_factory=list)
    text_chars: int = 0  # visible body text, whitespace removed
    attachment_note: bool = False  # the body says 详见附件 or the like

    @property
    def is_cover(self) -> bool:
        """A report page that only points at its attachment (``详见附件``): the attachment
        is the report, this page gives its title and URL."""
        has_file = any(link.kind == "attachment" for link in self.links)
        return (
            has_file
            and (self.attachment_note or self.text_chars < STUB_MAX_CHARS // 3)
            and self.text_chars < STUB_MAX_CHARS
        )


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def year_of(text: str | None) -> int | None:
    """The report year a title or anchor text names (``2020年度…`` → 2020)."""
    found = _YEAR.search(text or "")
    return int(found.group(1)) if found else None


def suffix_of(url: str) -> str:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def classify(url: str, text: str) -> LinkKind:
    """What a link of a column page leads to, from its URL and anchor text."""
    if suffix_of(url) in ATTACHMENT_SUFFIXES:
        return "attachment"
    parts = urlsplit(url)
    if (
        text.lower() in _PAGER_TEXT
        or text.isdigit()
        or _PAGED_HREF.search(f"{parts.path}?{parts.query}")
    ):
        return "page"
    if _REPORT_TEXT.search(text):
        return "report"
    return "other"


def _tree(text: str) -> etree._Element | None:
    # lxml refuses str input that declares its own encoding; the text is decoded already
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


_CRUMB_MAX = 200  # characters of a breadcrumb, whitespace collapsed
_CRUMB_RAW_MAX = 4096  # characters under an element before it is too long to be one
_CRUMB_NODES_MAX = 200  # elements under it, likewise
_CRUMB_TAGS = ("div", "p", "nav", "span", "td", "ol", "ul")


def _small(root: etree._Element) -> dict[etree._Element, bool]:
    """Per breadcrumb candidate, whether its subtree is small enough to be one, from one
    pass over the tree: reading every candidate's whole text instead costs the page's size
    times its nesting depth (minutes on a megabyte of text under 250 nested ``<div>``)."""
    small: dict[etree._Element, bool] = {}
    sizes: list[list[int]] = []  # per open element: [characters, elements] below it
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            sizes.append([len(el.text or ""), 1])
            continue
        chars, nodes = sizes.pop()
        if el.tag in _CRUMB_TAGS:
            small[el] = chars <= _CRUMB_RAW_MAX and nodes <= _CRUMB_NODES_MAX
        if sizes:
            sizes[-1][0] += chars + len(el.tail or "")
            sizes[-1][1] += nodes
    return small


def _breadcrumb(tree: etree._Element) -> str | None:
    small = _small(tree)
    for el in tree.iter(*_CRUMB_TAGS):
        if not small.get(el):
            continue
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        own = clean(el.text_content())
        if (_CRUMB_HINT.search(hint) or _CRUMB_TEXT.match(own)) and 0 < len(own) <= _CRUMB_MAX:
            return _CRUMB_TEXT.sub("", own).strip() or None
    return None


def _body_text(tree: etree._Element) -> tuple[str, str]:
    """(all body text, body text outside links, menus and scripts); mutates ``tree``."""
    body = tree.find("body")
    root = body if body is not None else tree
    for el in list(root.iter("script", "style", "noscript")):
        el.drop_tree()
    everything = root.text_content()
    for el in list(root.iter("a", "nav", "header", "footer")):
        if el.getparent() is not None:
            el.drop_tree()  # keeps the text after the element (its tail)
    return everything, root.text_content()


def _pager_calls(text: str) -> Iterator[str]:
    """The argument text of each ``createPageHTML(…)`` call, in one pass over ``text``:
    each call is read to its ``)`` within ``_PAGER_ARGS_MAX`` characters or skipped (an
    unclosed call on a large page is not read to the page's end)."""
    at = text.find(_PAGER_CALL)
    while at >= 0:
        start = at + len(_PAGER_CALL)
        window = text[start : start + _PAGER_ARGS_MAX + 2].lstrip(" \t\r\n")
        end = window.find(")")
        if window.startswith("(") and end > 0:
            yield window[1:end]
        at = text.find(_PAGER_CALL, start)


def script_pages(text: str, base_url: str, limit: int = 10_000) -> list[str]:
    """The pages a ``createPageHTML(…)`` pager links at run time: ``index.html`` and
    ``index_1.html`` … ``index_<total-1>.html`` beside ``base_url``; at most ``limit`` URLs
    over all the calls (a crawl visits no more pages than its cap: a page of ``createPageHTML(
    10000, …)`` calls must not make millions of URLs first), each distinct page once.

    Its arguments vary by site (``createPageHTML(5, 0, "index", "html")``,
    ``createPageHTML('page_div', 5, 1, 'index', 'html', 68)``, or variables set just before:
    ``var countPage = 5; createPageHTML(countPage, currentPage, "index", "shtml")``): the
    first number is the page count and the last two strings are the file stem and suffix.
    Linear in the size of ``text``.
    """
    totals: dict[tuple[str, str], int] = {}  # (stem, suffix) → the largest page count
    assigned: dict[str, int] | None = None
    for call in _pager_calls(text):
        args = _PAGER_ARG.findall(call)
        if any(name for _, _, name in args) and assigned is None:
            # one pass for every variable, the last assignment winning, as the script would
            assigned = {m[1]: int(m[2]) for m in _ASSIGNED.finditer(text)}
        numbers = [int(n) if n else (assigned or {}).get(name) for n, _, name in args if n or name]
        strings = [s for n, s, name in args if not n and not name]
        total = numbers[0] if numbers else None
        if total is None or len(strings) < 2 or total <= 0:
            continue
        stem, ext = strings[-2], strings[-1]
        if _STEM.fullmatch(stem) and _PAGE_EXT.fullmatch(ext):
            totals[stem, ext] = max(total, totals.get((stem, ext), 0))
    urls: list[str] = []
    for (stem, ext), total in totals.items():
        count = min(total, limit - len(urls))  # bounded before a URL is made
        if count <= 0:
            break
        urls.append(urljoin(base_url, f"{stem}.{ext}"))
        urls += [urljoin(base_url, f"{stem}_{i}.{ext}") for i in range(1, count)]
    return urls


def parse_page(text: str, url: str, max_script_pages: int = 10_000) -> PageInfo:
    """Title, breadcrumb, links (absolute, in page order, first anchor text per URL) and
    the amount of body text of one decoded HTML page; a script pager gives at most
    ``max_script_pages`` links (the crawl passes its page cap)."""
    tree = _tree(text)
    if tree is None:
        return PageInfo(None, None)
    base = url
    for el in tree.iter("base"):
        if el.get("href"):
            base = urljoin(url, el.get("href", ""))
            break
    title_el = tree.find(".//title")
    title = clean(title_el.text_content()) if title_el is not None else None
    crumb = _breadcrumb(tree)
    seen: dict[str, Link] = {}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        target = urldefrag(urljoin(base, href))[0]
        if urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        anchor = clean(a.text_content()) or clean(a.get("title"))
        seen[target] = Link(target, anchor, classify(target, anchor))
    scripts = " ".join(s.text or "" for s in tree.iter("script"))
    for page in script_pages(scripts, base, max_script_pages):
        seen.setdefault(page, Link(page, "", "page"))
    everything, own = _body_text(tree)
    return PageInfo(
        title or None,
        crumb,
        list(seen.values()),
        len(_SPACE.sub("", own)),
        bool(_ATTACHMENT_NOTE.search(everything)),
    )
