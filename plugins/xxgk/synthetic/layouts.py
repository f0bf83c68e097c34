"""Metamorphic layouts: a report whose table cells are known, re-rendered as real pages print it.

The grids of a ``KnownReport`` (``xxgk.synthetic.grids``) are rendered by one of
``LAYOUTS``: pipe rows in several styles, one cell per line in the ways converters write
it, cells holding line breaks, labels-only flattenings, PDF text layers, HTML with
different span shapes, traditional script with inline pinyin, full-width digits and stray
spaces (SPEC §6).

A layout that can print a blank cell keeps every cell's column (``keeps_blanks``): the
reader must return exactly the known cells. One that cannot (blank cells leave nothing)
may only lose the cells of rows it reports as ``column_ambiguous``; it must never shift a
value into another column. ``tests/extract/test_layout_transforms.py`` checks both.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from xxgk.synthetic.grids import (
    T3_HEADS,
    T4_HEADS,
    T4_RESULTS,
    Block,
    Grid,
    GridRow,
    Groups,
    KnownReport,
    cell_rows,
    grids,
)
from xxgk.synthetic.sample_tables import T3_NOTE

# --- text rewrites (SPEC §6: wrapped labels, split headers, script, width) -------------------

_WRAP_AT: Final = 14  # a label longer than this wraps in a narrow column


def wrap(text: str, width: int = _WRAP_AT) -> list[str]:
    """A long label cut into lines of ``width`` characters, as a narrow column prints it."""
    if len(text) <= width or text.isascii():
        return [text]
    return [text[i : i + width] for i in range(0, len(text), width)]


def split_word(text: str) -> list[str]:
    """A header word split over two lines ('本年新' / '制作数量', '商业' / '企业')."""
    if len(text) < 4 or len(text) > 12 or text.startswith("第二十条"):
        return [text]  # the block captions keep their line: they anchor table 二
    cut = 3 if text.startswith("本年") else len(text) // 2
    return [text[:cut], text[cut:]]


_SIMP: Final = "规章范县计总结请处开审决复议诉讼维纠现关于项标"
_TRAD: Final = "規章範縣計總結請處開審決復議訴訟維糾現關於項標"
_TO_TRAD: Final = str.maketrans(_SIMP, _TRAD)
# inline pinyin of mirror sites ('中(zhōng)華'): after the first character of a label
_PINYIN: Final = {
    "规": "guī",
    "政": "zhèng",
    "行": "xíng",
    "信": "xìn",
    "本": "běn",
    "申": "shēn",
    "其": "qí",
    "属": "shǔ",
    "重": "chóng",
    "对": "duì",
}


def traditional(text: str) -> str:
    """Traditional script with inline pinyin after a label's first character."""
    if text and text[0] in _PINYIN:
        text = f"{text[0]}({_PINYIN[text[0]]}){text[1:]}"
    return text.translate(_TO_TRAD)


_FULL: Final = str.maketrans("0123456789", "０１２３４５６７８９")


def full_width(text: str) -> str:
    """Full-width digits in values (some after an NBSP), a stray space inside labels."""
    if text[:1].isdigit() or text[:1] in "+-":
        wide = text.translate(_FULL)
        return "\u00a0" + wide if len(text) == 2 else wide  # some values after an NBSP
    if len(text) >= 6 and not text[:1].isdigit():
        return f"{text[:4]} {text[4:]}"
    return text


# --- renderings ---------------------------------------------------------------------------------

Render = Callable[[Grid], list[str]]


def _pipe(
    join: str,
    lead: str,
    tail: str,
    groups: Groups = "span",
    cell: Callable[[str], str] = str,
    header_rule: bool = False,
) -> Render:
    def render(grid: Grid) -> list[str]:
        out: list[str] = []
        for head, cells in cell_rows(grid, groups):
            out.append(lead + join.join(cell(c) for c in cells) + tail)
            if header_rule and head:
                out.append(lead + join.join("---" for _ in cells) + tail)
        return out

    return render


def _lines(
    end: str,
    opener: str | None = None,
    groups: Groups = "own",
    label: Callable[[str, bool], list[str]] | None = None,
    blank: str | None = " |",
    pad_captions: bool = False,
    inline_heads: bool = False,
) -> Render:
    """One cell per line ending in ``end``; ``opener`` a line before each row; a blank
    cell printed as ``blank`` (None: it leaves nothing); ``label`` splits a label over lines."""

    def render(grid: Grid) -> list[str]:
        out: list[str] = []
        for head, cells in cell_rows(grid, groups):
            if opener is not None:
                out.append(opener)
            if pad_captions and head and len(cells) == 1:  # a caption spanning the columns
                out.append(f"{cells[0]} | | | |")
                continue
            if inline_heads and head:  # header rows kept on one line each
                out.append(" | ".join(cells) + " |")
                continue
            for c in cells:
                if not c:
                    if blank is not None:
                        out.append(blank)
                    continue
                parts = label(c, head) if label is not None else [c]
                out.extend(parts[:-1])
                out.append(parts[-1] + end if end != "\n" else parts[-1])
                if end == "\n":
                    out.append("")
        return out

    return render


def _pipe_next(grid: Grid) -> list[str]:
    """Each cell on its own line, the pipe that ends it on the next (eval/hard 215)."""
    out: list[str] = []
    for _, cells in cell_rows(grid, "own"):
        for c in cells:
            out.extend((c, "|") if c else ("|",))
        out.append("||||")
    return out


def _wrapped_pipe(grid: Grid) -> list[str]:
    """Pipe rows whose cells keep their line breaks and padding (a Word table pasted)."""
    out: list[str] = []
    for head, cells in cell_rows(grid, "span"):
        row = "".join(
            "  " + "\n".join(split_word(c) if head else wrap(c, 10)) + "  |" for c in cells
        )
        out.extend(row.split("\n"))
    return out


def spaced_glued(values: list[str]) -> str:
    """A row's values as dumps print them spaced and glued at once: every third blank
    between two values lost ('0 0 0 0 0 0 0' → '0 00 0 00 0')."""
    out = values[:1]
    for i, v in enumerate(values[1:], start=1):
        out.append(v if i % 3 == 2 else " " + v)
    return "".join(out)


def _pdf(
    stack_t4: bool, values_below: bool = False, values_mid: bool = False, glue: bool = False
) -> Render:
    """A PDF text layer: headers one per line (table 四's one character per line with 总计
    glued to the header after it), a row's label then its values separated by spaces
    (``values_below``: on the next line; ``glue``: some blanks lost, ``spaced_glued``), long
    labels wrapped, blank cells leaving nothing."""

    def render(grid: Grid) -> list[str]:
        out: list[str] = []
        for head, cells in cell_rows(grid, "own"):
            if head and grid.table_no in (3, 4) and stack_t4:
                out.extend(_stacked(cells))
            elif head:
                out.extend(part for c in cells for part in split_word(c))
            else:
                labels = [c for c in cells if c and not _is_value(c)]
                printed = [c for c in cells if c and _is_value(c)]
                values = spaced_glued(printed) if glue else " ".join(printed)
                wrapped = [p for lb in labels for p in wrap(lb)]
                if values_below:
                    out.extend((*wrapped, values))
                    continue
                if values_mid and len(wrapped) > 1:  # vertically centred beside the label
                    out.extend((f"{wrapped[0]} {values}".strip(), *wrapped[1:]))
                    continue
                out.extend(wrapped[:-1])
                out.append(" ".join(p for p in (wrapped[-1:] + [values]) if p).strip())
        return [ln for ln in out if ln]

    return render


def _flat(grid: Grid) -> list[str]:
    """The whole table on one line, cells separated by spaces (seed 004's table 二)."""
    return [" ".join(c for _, cells in cell_rows(grid, "own") for c in cells if c)]


_PAGE_LINES: Final = 9  # lines of a table per flip-book page


def _paged(render: Render, inline: bool = False) -> Render:
    """A flip-book or browser-print export: every few lines a page break prints the page's
    furniture (``Page 9 - 2020年报_审计局``, ``P. 9``) and the running header; ``inline``:
    the furniture run into the page's last line or the next page's first instead."""

    def paged(grid: Grid) -> list[str]:
        out: list[str] = []
        for i, line in enumerate(render(grid)):
            if i and i % _PAGE_LINES == 0:
                page = grid.table_no * 10 + i // _PAGE_LINES
                if inline and page % 2:  # the page number run into the page's last line
                    out[-1] = f"{out[-1]} P. {page}"
                elif inline:
                    out.append(f"Page {page} - 年报_示例县统计局 {line}")
                    continue
                else:
                    out += [
                        f"Page {page} - 年报_示例县统计局",
                        "示例县统计局政府信息公开工作年度报告",
                    ]
                    out.append(f"P. {page}")
            out.append(line)
        return out

    return paged


def _dump(grid: Grid) -> list[str]:
    """The table as a crawl's page.txt keeps it: every cell glued to the next, headers and
    labels included, blank cells leaving nothing (eval/hard 206)."""
    return ["".join(c for _, cells in cell_rows(grid, "own") for c in cells if c)]


def _stacked(heads: list[str]) -> list[str]:
    """Column headers one character per line, '总计' glued to the header after it; a long
    cell (table 三's note) wraps as text does."""
    out: list[str] = []
    glue = ""
    for h in heads:
        if len(h) > 8:
            out.extend((*([glue] if glue else []), *wrap(h)))
            glue = ""
            continue
        chars = [glue + h[0], *h[1:]] if glue else list(h)
        glue = ""
        if h == "总计":
            glue = h
            continue
        out.extend(chars)
    if glue:
        out.append(glue)
    return out


# a printed value: signed or prefixed ('+3', '减4'), decimal, with an amount unit, a blank mark
_VALUE: Final = re.compile(
    r"^\s*(?:[+\-]{1,2}|增|减)?[0-9０-９]+(?:\.[0-9０-９]+)?(?:万元|元)?$|^(?:—+|/|-)$"
)


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text))


def _html(shape: Literal["rowspan", "grouprows", "merged"]) -> Render:
    """An HTML table: group labels as row-spanning cells, as rows of their own, or in
    their first child's label cell after a line break."""

    def render(grid: Grid) -> list[str]:
        width = max(len(c) for _, c in cell_rows(grid, "own"))
        trs: list[str] = []
        for block in grid.blocks:
            trs.extend(_html_heads(block, shape))
            trs.extend(_html_rows(block, shape, width))
        return ['<table border="1">', *trs, "</table>"]

    return render


def _td(text: str, rows: int = 1, cols: int = 1, tag: str = "td") -> str:
    span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    return f"<{tag}{span}>{html.escape(text, quote=False)}</{tag}>"


def _html_heads(block: Block, shape: str) -> list[str]:
    tag = "th" if shape == "grouprows" else "td"
    if block.heads == T4_HEADS:
        if shape == "rowspan":
            return [
                "<tr>" + _td("行政复议", cols=5) + _td("行政诉讼", cols=10) + "</tr>",
                "<tr>"
                + "".join(_td(h, rows=2) for h in T4_RESULTS)
                + _td("未经复议直接起诉", cols=5)
                + _td("复议后起诉", cols=5)
                + "</tr>",
                "<tr>" + "".join(_td(h) for h in (*T4_RESULTS, *T4_RESULTS)) + "</tr>",
            ]
        return ["<tr>" + "".join(_td(h, tag=tag) for h in row) + "</tr>" for row in block.heads]
    if block.heads == T3_HEADS and shape == "rowspan":
        return [
            "<tr>" + _td(T3_NOTE, rows=3, cols=3) + _td("申请人情况", cols=7) + "</tr>",
            "<tr>"
            + _td("自然人", rows=2)
            + _td("法人或其他组织", cols=5)
            + _td("总计", rows=2)
            + "</tr>",
            "<tr>" + "".join(_td(h) for h in T3_HEADS[2]) + "</tr>",
        ]
    return ["<tr>" + "".join(_td(h, tag=tag) for h in row) + "</tr>" for row in block.heads]


def _html_rows(block: Block, shape: str, width: int) -> list[str]:
    out: list[str] = []
    depth = max(len(r.path) for r in block.rows)
    prev: tuple[str, ...] = ()
    for i, row in enumerate(block.rows):
        parents, tds = row.path[:-1], []
        for d, g in enumerate(parents):
            if prev[: d + 1] == parents[: d + 1]:
                continue
            span = sum(1 for r in block.rows[i:] if r.path[: d + 1] == parents[: d + 1])
            if shape == "rowspan":
                tds.append(_td(g, rows=span))
            elif shape == "grouprows":
                out.append("<tr>" + _td(g, cols=width) + "</tr>")
        if row.path and shape == "merged":  # '（三）不予公开<br>1.属于国家秘密' in one cell
            new = [g for d, g in enumerate(parents) if prev[: d + 1] != parents[: d + 1]]
            tds.append("<td>" + "<br>".join(html.escape(t) for t in (*new, row.path[-1])) + "</td>")
        elif row.path:
            cols = depth - len(row.path) + 1 if shape == "rowspan" else 1
            tds.append(_td(row.path[-1], cols=cols))
        tds.extend(_td(c) for c in row.cells)
        out.append("<tr>" + "".join(tds) + "</tr>")
        prev = parents
    return out


@dataclass(frozen=True)
class Layout:
    render: Render
    keeps_blanks: bool  # every blank cell leaves a mark, so every column is known
    html: bool = False
    rewrite: Callable[[str], str] | None = None  # applied to every cell text first
    blank_mark: str = ""  # what a blank cell prints ('—', '/'): then no layout loses it
    # False: a row may be lost without a column_ambiguous issue (a crawl's glued page, whose
    # short table lines are not cut at row boundaries); never a wrong value all the same
    names_lost_rows: bool = True


def _rewritten(grid: Grid, rewrite: Callable[[str], str], blank: str = "") -> Grid:
    def row(r: GridRow) -> GridRow:
        return GridRow(
            tuple(map(rewrite, r.path)),
            tuple(rewrite(c) if c else blank for c in r.cells),
            r.codes,
        )

    return Grid(
        grid.table_no,
        grid.heading,
        tuple(
            Block(tuple(tuple(map(rewrite, h)) for h in b.heads), tuple(map(row, b.rows)))
            for b in grid.blocks
        ),
    )


def _split_head(c: str, head: bool) -> list[str]:
    return split_word(c) if head else [c]


def _wrap_label(c: str, head: bool) -> list[str]:
    return wrap(c)


LAYOUTS: Final[dict[str, Layout]] = {
    "pipe_padded": Layout(_pipe(" | ", "", " |"), True),
    "pipe_tight": Layout(_pipe("|", "", "|", groups="first"), True),
    "pipe_leading": Layout(_pipe(" | ", "| ", ""), False),
    "pipe_framed": Layout(_pipe(" | ", "| ", " |", header_rule=True), True),
    "pipe_two_space": Layout(_pipe("  | ", "", "  | ", groups="own"), True),
    # a blank last cell leaves no mark where pipes only separate cells
    "pipe_no_trailing": Layout(_pipe(" | ", "", "", groups="own"), False),
    "cells_end_pipe": Layout(_lines(" |"), True),
    "cells_lone_opener": Layout(_lines(" |", opener="|"), True),
    "cells_padded_captions": Layout(_lines(" |", opener="|", pad_captions=True), True),
    "cells_inline_headers": Layout(_lines(" |", opener="|", inline_heads=True), True),
    "cells_pipe_next": Layout(_pipe_next, True),
    "cells_blank_lines": Layout(_lines("\n", blank=None), False),
    "cells_collapsed_blanks": Layout(_lines(" |", blank=None), False),
    "labels_only": Layout(_lines("", blank=None), False),
    "cells_line_breaks": Layout(_wrapped_pipe, True),
    "labels_wrapped": Layout(_lines(" |", label=_wrap_label), True),
    "headers_split": Layout(_lines(" |", label=_split_head), True),
    "pdf_rows": Layout(_pdf(stack_t4=False), False),
    "pdf_stacked": Layout(_pdf(stack_t4=True), False),
    "pdf_values_below": Layout(_pdf(stack_t4=True, values_below=True), False),
    "pdf_values_first_line": Layout(_pdf(stack_t4=True, values_mid=True), False),
    "flat_spaces": Layout(_flat, False),
    "pdf_spaced_glued": Layout(_pdf(stack_t4=True, glue=True), False),
    "dump_glued": Layout(_dump, False, names_lost_rows=False),
    "flip_book": Layout(_paged(_pdf(stack_t4=True)), False),
    "flip_book_cells": Layout(_paged(_lines(" |", opener="|")), True),
    "flip_book_inline": Layout(_paged(_pdf(stack_t4=False), inline=True), False),
    "pdf_noisy": Layout(_pdf(stack_t4=False), False, rewrite=full_width),
    "labels_only_traditional": Layout(_lines("", blank=None), False, rewrite=traditional),
    "labels_only_dash_blanks": Layout(_lines("", blank=None), True, blank_mark="—"),
    "pdf_slash_blanks": Layout(_pdf(stack_t4=True), True, blank_mark="/"),
    "html_rowspan": Layout(_html("rowspan"), True, html=True),
    "html_group_rows": Layout(_html("grouprows"), True, html=True),
    "html_merged_labels": Layout(_html("merged"), True, html=True),
    "traditional_pinyin": Layout(_pipe(" | ", "", " |"), True, rewrite=traditional),
    "full_width_spaces": Layout(_lines(" |", opener="|"), True, rewrite=full_width),
    "traditional_cells": Layout(
        _lines(" |", opener="|"), True, rewrite=lambda t: traditional(full_width(t))
    ),
}


def _same(text: str) -> str:
    return text


def render(report: KnownReport, layout: str) -> str:
    """The whole report (title, sections, tables) in ``layout``; HTML for the HTML ones."""
    spec = LAYOUTS[layout]
    head = [
        f"示例县统计局{report.year}年政府信息公开工作年度报告",
        f"本报告中所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。",
        "一、总体情况",
        "本年度按照条例要求做好政府信息公开工作。",
    ]
    lines = list(head)
    for grid in grids(report):
        if spec.rewrite or spec.blank_mark:
            shown = _rewritten(grid, spec.rewrite or _same, spec.blank_mark)
        else:
            shown = grid
        heading = spec.rewrite(grid.heading) if spec.rewrite else grid.heading
        if grid.table_no == 1:
            lines += ["二、主动公开政府信息情况", "本年度主动公开信息若干条。"]
        lines.append(heading)
        lines.extend(spec.render(shown))
    tail = ["五、存在的主要问题及改进情况", "工作中仍存在不足。", "六、其他需要报告的事项", "无。"]
    if report.format == "old":
        tail = ["单位负责人：张三　填报人：李四", *tail]
    lines.extend(tail)
    if not spec.html:
        return "\n".join(lines) + "\n"
    body = "".join(ln if ln.startswith("<") else f"<p>{html.escape(ln)}</p>" for ln in lines)
    return f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'
