"""Page chrome of flip-book and print exports, removed before the tables are read.

A report exported page by page (flip-book viewers, a PDF printed from a browser) carries
lines that belong to the page, not the text: ``Page 9 - 2020年报_审计局``, ``P. 9``,
``第 3 页 共 12 页``, ``- 3 -``, and a running header repeating the report's title on
every page. Inside a table they break it: a page number is one value too many (table 四
read as 16 cells for 15 columns), a title line is a label that starts a row of its own.
Metadata is read from the text as published (the flip-book line names the publisher).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Final

# lines that are nothing but a page's furniture
_PAGE_LINE: Final = re.compile(
    r"[ \t]*(?:"
    r"Page[ \t]*\d+[ \t]*[-–—][ \t]*\S{1,40}"  # Page 9 - 2020年报_审计局 (a flip-book page)
    r"|Page[ \t]*\d+(?:[ \t]*(?:of|/)[ \t]*\d+)?"  # Page 9, Page 9 of 12
    r"|P\.[ \t]*\d+"  # P. 9
    r"|第[ \t]*\d+[ \t]*页(?:[ \t]*[,，/]?[ \t]*共[ \t]*\d+[ \t]*页)?"  # 第3页 共12页
    r"|[-–—][ \t]*\d+[ \t]*[-–—]"  # - 3 -
    r")[ \t]*"
)
# the same furniture run into the first line of the page's text: only the furniture goes
_PAGE_PREFIX: Final = re.compile(
    r"[ \t]*(?:Page[ \t]*\d+[ \t]*[-–—][ \t]*\S{1,40}|P\.[ \t]*\d+)[ \t]+(?=\S)"
)
# … or into the last line of the page before
_PAGE_SUFFIX: Final = re.compile(
    r"(?<=\S)[ \t]+(?:Page[ \t]*\d+[ \t]*[-–—][ \t]*\S{1,40}|P\.[ \t]*\d+)[ \t]*$"
)
# a running header repeats the report's title (or the flip-book's name of it) on each page
_TITLE_LINE: Final = re.compile(r"[^|]{0,60}(?:年报|报告)[^|]{0,20}")
_RUNNING_REPEATS: Final = 3  # a title printed this often is a page header
_LONGEST: Final = 80  # a longer line is no page furniture
# what either kind of line holds: only the lines around such a hit are looked at (few).
# A literal is searched for only when ``in`` finds it (a C-level scan; most reports have
# no furniture); one literal per pattern keeps each scan the regex engine's fast search.
_HINTS: Final = tuple(
    (literal, re.compile(re.escape(literal))) for literal in ("Page", "P.", "页", "报告", "年报")
)
_DASH_LINE: Final = re.compile(r"\n[ \t]*[-–—][ \t]*\d")  # '- 3 -' (its line follows)


def _hit_lines(text: str) -> Iterator[str]:
    """Each line of ``text`` holding a hint, once."""
    starts: set[int] = set()
    for literal, hint in _HINTS:
        if literal in text:
            for m in hint.finditer(text):
                starts.add(text.rfind("\n", 0, m.start()) + 1)
    for m in _DASH_LINE.finditer(text):
        starts.add(m.start() + 1)
    for start in sorted(starts):
        end = text.find("\n", start)
        yield text[start : len(text) if end < 0 else end]


def strip_chrome(lines: list[str]) -> list[str]:
    """``lines`` without page-furniture lines and running headers (usually unchanged: the
    few lines holding a hint are looked at)."""
    furniture: set[str] = set()
    titles: Counter[str] = Counter()
    prefixed: dict[str, str] = {}  # a line → the line without the furniture run into it
    for line in _hit_lines("\n".join(lines)):
        paged = "Page" in line or "P." in line
        if paged and (m := _PAGE_PREFIX.match(line)) is not None:
            prefixed[line] = line[m.end() :]
        elif paged and (m := _PAGE_SUFFIX.search(line)) is not None:
            prefixed[line] = line[: m.start()]
        elif len(line) > _LONGEST:
            continue  # prose: furniture and titles are short lines
        elif _PAGE_LINE.fullmatch(line):
            furniture.add(line)
        elif _TITLE_LINE.fullmatch(line):
            titles[line.strip()] += 1
    running = {t for t, n in titles.items() if n >= _RUNNING_REPEATS and len(t) >= 6}
    if not furniture and not running and not prefixed:
        return lines
    return [
        prefixed.get(ln, ln) for ln in lines if ln not in furniture and ln.strip() not in running
    ]
