"""Known reports as grids: the printed rows of each statistical table, from the dictionary.

A ``KnownReport`` (format, year, ``{metric: cell}``) becomes ``Grid`` objects: each table's
header rows and the rows whose every cell is known, with their group labels
('三、本年度办理结果' › '（三）不予公开' › '1.属于国家秘密'). ``cell_rows`` lays the label
columns out the ways real tables do; ``xxgk.synthetic.layouts`` renders the grids.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
        return f"{value:.6f}".rstrip("0").rstrip(".")
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

T3_HEADS: Final = (
    (T3_NOTE, "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)
T4_RESULTS: Final = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
T4_HEADS: Final = (
    ("行政复议", "行政诉讼"),
    (*T4_RESULTS, "未经复议直接起诉", "复议后起诉"),
    (*T4_RESULTS, *T4_RESULTS),
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
    return Grid(3, _HEADINGS[3], (Block(T3_HEADS, tuple(rows)),) if rows else ())


def _t4_grid(cells: Mapping[str, KnownCell]) -> Grid:
    codes = tuple(
        f"t4_{g}_{r}"
        for g in ("review", "lit_direct", "lit_after_review")
        for r in ("upheld", "corrected", "other", "pending", "total")
    )
    row = _row((), codes, cells)
    return Grid(4, _HEADINGS[4], (Block(T4_HEADS, (row,)),) if row else ())


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
