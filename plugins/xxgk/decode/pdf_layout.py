"""One PDF page → items in reading order: table rows (lists of cells) and text lines.

Wrapped paragraphs are joined back into one line (scraped copies, which the extractor was
built on, carry a paragraph per line; a number wrapped away from its label would be lost).

Rows stay lists of cells until the whole document is read, so a row that a page break cut
in two (the label's last characters at the top of the next page, its number cells empty)
is joined back with the row it continues.
"""

from __future__ import annotations

import re
from typing import Any

from xxgk.core.text import leading_enumerator
from xxgk.decode.document import clean_lines
from xxgk.decode.layout import join_fragments, pipe_row

Item = str | list[str]  # a text line, or the cells of a table row
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*页?\s*(?:(?:[/／]|共)\s*\d{1,4}\s*页?)?[-—–\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.I,
)
_MARGIN_BAND = 0.08  # share of the page height treated as header / footer
_SENTENCE_END = ("。", "！", "？", "；", "：", ".", "!", "?", ";", ":")
_NUMBER = re.compile(r"^[+\-]?\d+(?:\.\d+)?\D{0,2}$")


def _cell(text: str | None) -> str:
    return join_fragments(text.split("\n")) if text else ""


def _spanned_left(cells: tuple[Any, ...], j: int, col_x0: float) -> bool:
    """Is grid slot ``j`` covered by a cell to its left (a colspan), not from above?"""
    return any(b is not None and b[0] < col_x0 - 0.5 and b[2] > col_x0 + 0.5 for b in cells[:j])


def table_rows(table: Any) -> list[list[str]]:
    """A pdfplumber table's rows: a colspan is one cell (as in HTML), the slots under a
    rowspan are empty cells, blank cells stay empty cells."""
    col_x0 = [col.bbox[0] for col in table.columns]
    out = []
    for row, texts in zip(table.rows, table.extract(), strict=True):
        out.append(
            [
                _cell(text)
                for j, (bbox, text) in enumerate(zip(row.cells, texts, strict=True))
                if bbox is not None or not _spanned_left(row.cells, j, col_x0[j])
            ]
        )
    return out


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    """A character whose centre lies in a table (text touching a ruling stays outside)."""
    if obj.get("object_type") != "char":
        return False
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def is_page_number(text: str, top: float, height: float) -> bool:
    """A page number in the header or footer band (never part of a table or paragraph)."""
    in_band = top < height * _MARGIN_BAND or top > height * (1 - _MARGIN_BAND)
    return in_band and bool(_PAGE_NUMBER.match(text.strip()))


def _tabular(chars: list[dict[str, Any]], size: float) -> bool:
    """A line with wide gaps between characters is a row of a table without rulings."""
    return any(b["x0"] - a["x1"] > 2 * size for a, b in zip(chars, chars[1:], strict=False))


def _joins(
    line: dict[str, Any], nxt: dict[str, Any], edges: tuple[float, float], tops: list[float]
) -> bool:
    """Does ``nxt`` continue the paragraph that ``line`` wraps? ``line`` runs to the right
    edge of the text, ``nxt`` starts at the left edge right below, no table in between."""
    left, right = edges
    chars = line["chars"]
    size = float(chars[0]["size"]) if chars else 10.0
    # Line breaking keeps a character with the punctuation after it (行首禁则), so a wrapped
    # line may end up to two characters short; a line ending a sentence must be full.
    slack = (1.2 if line["text"].rstrip().endswith(_SENTENCE_END) else 2.5) * size
    return (
        len(chars) >= 15
        and line["x1"] >= right - slack
        and abs(nxt["x0"] - left) <= size * 0.6
        and 0 <= nxt["top"] - line["bottom"] <= 0.8 * size
        and not any(line["bottom"] <= t <= nxt["top"] for t in tops)
        and not _tabular(chars, size)
        and not _tabular(nxt["chars"], size)
    )


def reflow(
    lines: list[dict[str, Any]], page_width: float, table_tops: list[float]
) -> list[dict[str, Any]]:
    """Join the lines of wrapped paragraphs (the extractor reads a paragraph per line)."""
    if not lines:
        return []
    edges = (min(ln["x0"] for ln in lines), max(ln["x1"] for ln in lines))
    if edges[1] - edges[0] < 0.5 * page_width:
        return lines  # no full-width text block: nothing was wrapped
    out = [dict(lines[0])]
    for nxt in lines[1:]:
        last = out[-1]
        if _joins(last, nxt, edges, table_tops):
            last["text"] = join_fragments([last["text"], nxt["text"]])
            last.update(x1=nxt["x1"], bottom=nxt["bottom"], chars=nxt["chars"])
        else:
            out.append(dict(nxt))
    return out


def page_items(page: Any) -> list[Item]:
    """One page: its tables' rows and the text outside them, top to bottom."""
    ordered: list[tuple[float, int, list[Item]]] = []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    for n, table in enumerate(tables):
        ordered.append((table.bbox[1], n, list(table_rows(table))))
    rest = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    height = float(page.height)
    lines = [
        ln
        for ln in rest.extract_text_lines(return_chars=True)
        if not is_page_number(ln["text"], ln["top"], height)
    ]
    for line in reflow(lines, float(page.width), [b[1] for b in boxes]):
        ordered.append((line["top"], -1, list(clean_lines(line["text"]))))
    ordered.sort(key=lambda item: (item[0], item[1]))
    return [item for _, _, items in ordered for item in items]


def _continues(prev: list[str], frag: list[str]) -> bool:
    """Is ``frag`` the rest of ``prev``, cut by a page break? Text only under text, nothing
    under numbers, no number of its own (a repeated header row has text under numbers), and
    no enumerator opening it (``九、…`` at the top of a page is a new row)."""
    if len(prev) != len(frag) or not any(frag):
        return False
    if leading_enumerator(next(c for c in frag if c)) is not None:
        return False
    for above, below in zip(prev, frag, strict=True):
        if below and (not above or _NUMBER.match(above) or _NUMBER.match(below)):
            return False
    return True


def append_page(items: list[Item], page: list[Item]) -> None:
    """Add one page's items, joining a row split across the page break."""
    if (
        items
        and page
        and isinstance(items[-1], list)
        and isinstance(page[0], list)
        and _continues(items[-1], page[0])
    ):
        prev, frag = items[-1], page[0]
        items[-1] = [join_fragments([a, b]) for a, b in zip(prev, frag, strict=True)]
        page = page[1:]
    items.extend(page)


def render(items: list[Item]) -> list[str]:
    return [pipe_row(item) if isinstance(item, list) else item for item in items]
