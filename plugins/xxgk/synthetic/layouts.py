"""Metamorphic layouts: a report whose table cells are known, re-rendered as real pages print it.

A ``KnownReport`` (format, year, ``{metric: cell}``) is laid out as ``Grid`` objects built
from the packaged dictionary (the printed rows and headers of each table, only the rows
whose every cell is known), then rendered by one of ``LAYOUTS``: pipe rows in several
styles, one cell per line in the ways converters write it, cells holding line breaks,
labels-only flattenings, PDF text layers, HTML with different span shapes, traditional
script with inline pinyin, full-width digits and stray spaces (SPEC §6).

A layout that can print a blank cell keeps every cell's column (``keeps_blanks``): the
reader must return exactly the known cells. One that cannot (blank cells leave nothing)
may only lose the cells of rows it reports as ``column_ambiguous``; it must never shift a
value into another column. ``tests/extraction/test_layout_transforms.py`` checks both.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from xxgk.dictionary.metrics import T3_COLUMNS
from xxgk.synthetic.sample_tables import T3_NOTE, on_form

Value = int | float | None
Groups = Literal["own", "span", "first"]


@dataclass(frozen=True)
class KnownCell:
    value: Value
    raw: str  # the printed text ('' for a blank cell)


@dataclass(frozen=True)
class KnownReport:
    name: str
    format: str  # old | v2019 | v2021
    year: int
    cells: Mapping[str, KnownCell]


@dataclass(frozen=True)
class GridRow:
    path: tuple[str, ...]  # enclosing group labels, then the row's own label (() for 四)
    cells: tuple[str, ...]  # printed texts, '' = blank
    codes: tuple[str, ...]  # metric of each value cell ('' where the cell is not a metric)


@dataclass(frozen=True)
class Block:
    heads: tuple[tuple[str, ...], ...]  # header rows, cell texts left to right
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class Grid:
    table_no: int
    heading: str  # the section heading printed before the table
    blocks: tuple[Block, ...]


def cell_text(value: Value, signed: bool = False) -> str:
    """How a value is printed: '' for blank, '+3' for a positive signed count."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return f"+{value}" if signed and value > 0 else str(value)


def known_from_values(name: str, fmt: str, year: int, values: Mapping[str, Value]) -> KnownReport:
    """A report known by value only (synthetic truth): cells printed the plain way."""
    signed = {m["code"] for m in on_form(fmt) if m.get("value_type") == "signed_count"}
    return KnownReport(
        name,
        fmt,
        year,
        {code: KnownCell(v, cell_text(v, code in signed)) for code, v in values.items()},
    )


# --- grids from the dictionary -------------------------------------------------------------

_T3_HEADS: Final = (
    (T3_NOTE, "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)
_T4_RESULTS: Final = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_T4_HEADS: Final = (
    ("行政复议", "行政诉讼"),
    (*_T4_RESULTS, "未经复议直接起诉", "复议后起诉"),
    (*_T4_RESULTS, *_T4_RESULTS),
)
_HEADINGS: Final = {
    1: "政府信息公开情况统计表",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
}


def _row(
    path: tuple[str, ...], codes: tuple[str, ...], cells: Mapping[str, KnownCell]
) -> GridRow | None:
    if not all(c in cells for c in codes):
        return None  # the copy does not have this row (or not all of it)
    return GridRow(path, tuple(cells[c].raw for c in codes), codes)


def _old_grid(cells: Mapping[str, KnownCell]) -> Grid:
    rows: list[GridRow] = []
    for m in on_form("old"):
        code = m["code"]
        unit = "——" if m.get("on_template") == "header_row" else (m["unit"] or "")
        if code == "old_org_dedicated_units" and code in cells:  # a section without total
            rows.append(GridRow((m["label_path"][0],), ("——", ""), ("", "")))
        if code in cells:
            rows.append(GridRow((m["label_path"][-1],), (unit, cells[code].raw), ("", code)))
    block = Block((("统计指标", "单位", "统计数"),), tuple(rows))
    return Grid(1, _HEADINGS[1], (block,))


def _t2_grid(fmt: str, cells: Mapping[str, KnownCell]) -> Grid:
    prefix = "v19_t2_" if fmt == "v2019" else "v21_t2_"
    blocks: dict[str, dict[str, list[dict[str, object]]]] = {}
    for m in on_form(fmt):
        if m["code"].startswith(prefix):
            _, block, item, _col = m["label_path"]
            blocks.setdefault(block, {}).setdefault(item, []).append(m)
    out: list[Block] = []
    for block, items in blocks.items():
        heads = tuple(str(m["label_path"][-1]) for m in next(iter(items.values())))  # type: ignore[index]
        rows = [
            _row((item,), tuple(str(m["code"]) for m in ms), cells) for item, ms in items.items()
        ]
        kept = tuple(r for r in rows if r is not None)
        if kept:
            out.append(Block(((block,), ("信息内容", *heads)), kept))
    return Grid(2, _HEADINGS[2], tuple(out))


def _t3_grid(fmt: str, cells: Mapping[str, KnownCell]) -> Grid:
    rows: list[GridRow] = []
    for m in on_form(fmt):
        if m["code"].startswith("t3_") and m["code"].endswith("__natural_person"):
            path = tuple(m["label_path"][1 : m["label_path"].index("申请人情况")])
            codes = tuple(f"t3_{m['row_key']}__{col}" for col in T3_COLUMNS)
            row = _row(path, codes, cells)
            if row is not None:
                rows.append(row)
    return Grid(3, _HEADINGS[3], (Block(_T3_HEADS, tuple(rows)),) if rows else ())


def _t4_grid(cells: Mapping[str, KnownCell]) -> Grid:
    codes = tuple(
        f"t4_{g}_{r}"
        for g in ("review", "lit_direct", "lit_after_review")
        for r in ("upheld", "corrected", "other", "pending", "total")
    )
    row = _row((), codes, cells)
    return Grid(4, _HEADINGS[4], (Block(_T4_HEADS, (row,)),) if row else ())


def grids(report: KnownReport) -> list[Grid]:
    """The report's tables, each with the rows whose cells are all known."""
    if report.format == "old":
        found = [_old_grid(report.cells)]
    else:
        found = [
            _t2_grid(report.format, report.cells),
            _t3_grid(report.format, report.cells),
            _t4_grid(report.cells),
        ]
    return [g for g in found if g.blocks and any(b.rows for b in g.blocks)]


def printed_cells(report: KnownReport) -> dict[str, Value]:
    """The cells a rendering prints: {metric: value} of the rows the grids keep."""
    return {
        code: report.cells[code].value
        for g in grids(report)
        for b in g.blocks
        for r in b.rows
        for code in r.codes
        if code
    }


# --- cell rows: how the label columns of a grid row are laid out -----------------------------


def cell_rows(grid: Grid, groups: Groups) -> Iterator[tuple[bool, list[str]]]:
    """(is a header row, cell texts) of every printed row.

    ``own``: a group label ('（三）不予公开') on a row of its own; ``span``: on its first
    child's row, later children with an empty cell in its place (a converted rowspan);
    ``first``: on its first child's row, later children without the empty cell.
    """
    for block in grid.blocks:
        for head in block.heads:
            yield True, list(head)
        prev: tuple[str, ...] = ()
        for row in block.rows:
            parents = row.path[:-1]
            shared = 0
            while shared < min(len(parents), len(prev)) and parents[shared] == prev[shared]:
                shared += 1
            new, own = list(parents[shared:]), list(row.path[-1:])
            if groups == "own":
                for g in new:
                    yield False, [g]
                yield False, [*own, *row.cells]
            elif groups == "span":
                yield False, [*([""] * shared), *new, *own, *row.cells]
            else:
                yield False, [*new, *own, *row.cells]
            prev = parents


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


def _pdf(stack_t4: bool, values_below: bool = False, values_mid: bool = False) -> Render:
    """A PDF text layer: headers one per line (table 四's one character per line with 总计
    glued to the header after it), a row's label then its values separated by spaces
    (``values_below``: on the next line), long labels wrapped, blank cells leaving nothing."""

    def render(grid: Grid) -> list[str]:
        out: list[str] = []
        for head, cells in cell_rows(grid, "own"):
            if head and grid.table_no in (3, 4) and stack_t4:
                out.extend(_stacked(cells))
            elif head:
                out.extend(part for c in cells for part in split_word(c))
            else:
                labels = [c for c in cells if c and not _is_value(c)]
                values = " ".join(c for c in cells if c and _is_value(c))
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
    if block.heads == _T4_HEADS:
        if shape == "rowspan":
            return [
                "<tr>" + _td("行政复议", cols=5) + _td("行政诉讼", cols=10) + "</tr>",
                "<tr>"
                + "".join(_td(h, rows=2) for h in _T4_RESULTS)
                + _td("未经复议直接起诉", cols=5)
                + _td("复议后起诉", cols=5)
                + "</tr>",
                "<tr>" + "".join(_td(h) for h in (*_T4_RESULTS, *_T4_RESULTS)) + "</tr>",
            ]
        return ["<tr>" + "".join(_td(h, tag=tag) for h in row) + "</tr>" for row in block.heads]
    if block.heads == _T3_HEADS and shape == "rowspan":
        return [
            "<tr>" + _td(T3_NOTE, rows=3, cols=3) + _td("申请人情况", cols=7) + "</tr>",
            "<tr>"
            + _td("自然人", rows=2)
            + _td("法人或其他组织", cols=5)
            + _td("总计", rows=2)
            + "</tr>",
            "<tr>" + "".join(_td(h) for h in _T3_HEADS[2]) + "</tr>",
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
