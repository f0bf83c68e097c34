"""Tables of the demo corpus: the metric dictionary's printed rows as ``Table`` objects and
their renderings (HTML ``<table>`` with spans, pipe rows, one cell per line)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from xxgk.dictionary.metrics import APPLICANT_COLUMNS, raw_dictionary

T3_COLUMNS: Final = APPLICANT_COLUMNS
T3_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

Value = int | float | None
Cells = dict[str, Value]


# --- dictionary ------------------------------------------------------------------------------


@cache
def _dictionary() -> dict[str, Any]:
    return raw_dictionary()


@cache
def format_def(fmt: str) -> dict[str, Any]:
    for entry in _dictionary()["formats"]:
        if entry["id"] == fmt:
            return dict(entry)
    raise KeyError(fmt)


def on_form(fmt: str) -> list[dict[str, Any]]:
    """Metrics printed on the form (derived off-template subtotals and provincial
    ``table_variant`` rows excluded), in form order."""
    return [
        m
        for m in format_def(fmt)["metrics"]
        if m.get("on_template") is not False and not m.get("table_variant")
    ]


@cache
def _by_code(fmt: str) -> dict[str, dict[str, Any]]:
    return {m["code"]: m for m in format_def(fmt)["metrics"]}


def _metric(fmt: str, code: str) -> dict[str, Any]:
    return _by_code(fmt)[code]


def _label(fmt: str, code: str) -> str:
    return str(_metric(fmt, code)["label_path"][-1])


def t3_rows(fmt: str) -> list[str]:
    return [m["row_key"] for m in on_form(fmt) if m["code"].endswith("__natural_person")]


def _fmt_value(fmt: str, code: str, value: Value) -> str:
    if value is None:
        return ""
    if _metric(fmt, code)["value_type"] == "signed_count" and value > 0:
        return f"+{value}"
    if isinstance(value, float):  # amounts in 万元: at most four decimals, no trailing zeros
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


# --- tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    th_header: bool = False


def _row(*cells: Cell | str) -> tuple[Cell, ...]:
    return tuple(c if isinstance(c, Cell) else Cell(c) for c in cells)


def html_table(table: Table) -> list[str]:
    out = ['<table border="1" cellspacing="0" cellpadding="4">']
    for i, row in enumerate(table.rows):
        tag = "th" if table.th_header and i < table.header_rows else "td"
        tds = []
        for c in row:
            span = (f' rowspan="{c.rows}"' if c.rows > 1 else "") + (
                f' colspan="{c.cols}"' if c.cols > 1 else ""
            )
            text = html.escape(c.text, quote=False).replace("\n", "<br>")
            tds.append(f"<{tag}{span}>{text}</{tag}>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return out


def pipe_table(table: Table) -> list[str]:
    """One table row per line, `` | `` between cells; body rows under a row-spanning label get an
    empty leading cell per spanning label, as HTML-to-text converters print them."""
    lines: list[str] = []
    pending: list[int] = []  # remaining rows of each open row-spanning label
    for i, row in enumerate(table.rows):
        texts = [c.text.replace("\n", "") for c in row]
        if i >= table.header_rows:
            texts = [""] * len(pending) + texts
            pending = [n - 1 for n in pending if n > 1]
            pending += [c.rows - 1 for c in row if c.rows > 1]
        lines.append(" ".join((t + " |").strip() for t in texts))
    return lines


def cell_lines(table: Table) -> list[str]:
    """One cell per line, each ending in `` |`` (a converted Word table)."""
    return [c.text.replace("\n", " ") + " |" for row in table.rows for c in row]


# --- table layouts from the dictionary -------------------------------------------------------


def old_table(cells: Cells, unit_header: str) -> Table:
    rows = [_row("统计指标", "单位", "统计数")]
    for m in on_form("old"):
        code = m["code"]
        if code == "old_org_dedicated_units":
            rows.append(_row(m["label_path"][0], unit_header, ""))
        header = m.get("on_template") == "header_row"
        unit = unit_header if header else (m["unit"] or "")
        rows.append(_row(_label("old", code), unit, _fmt_value("old", code, cells[code])))
    return Table(tuple(rows), header_rows=1, th_header=True)


def t2_table(fmt: str, cells: Cells) -> Table:
    prefix = "v19_t2_" if fmt == "v2019" else "v21_t2_"
    blocks: dict[str, dict[str, list[str]]] = {}
    for m in on_form(fmt):
        if m["code"].startswith(prefix):
            _, block, item, _col = m["label_path"]
            blocks.setdefault(block, {}).setdefault(item, []).append(m["code"])
    rows: list[tuple[Cell, ...]] = []
    for block, items in blocks.items():
        codes = next(iter(items.values()))
        rows.append(_row(Cell(block, cols=4)))
        heads = [_label(fmt, c) for c in codes]
        rows.append(_row("信息内容", *_stretch(heads)))
        for item, item_codes in items.items():
            values = [_fmt_value(fmt, c, cells[c]) for c in item_codes]
            rows.append(_row(item, *_stretch(values)))
    return Table(tuple(rows), header_rows=0)


def _stretch(texts: list[str]) -> list[Cell]:
    """Fill three value columns: the last cell spans what the block does not use."""
    out = [Cell(t) for t in texts[:-1]]
    return [*out, Cell(texts[-1], cols=4 - len(texts))]


def t3_table(fmt: str, cells: Cells, split_words: bool = False) -> Table:
    org = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    if split_words:
        org = ("商业\n企业", "科研\n机构", *org[2:])
    rows = [
        _row(Cell(T3_NOTE, rows=3, cols=3), Cell("申请人情况", cols=7)),
        _row(Cell("自然人", rows=2), Cell("法人或其他组织", cols=5), Cell("总计", rows=2)),
        _row(*org),
    ]
    paths = {m["row_key"]: m["label_path"][1:-2] for m in on_form(fmt) if "row_key" in m}
    keys = t3_rows(fmt)
    for i, key in enumerate(keys):
        parts = paths[key]
        labels = []
        for depth, part in enumerate(parts):
            if i and paths[keys[i - 1]][: depth + 1] == parts[: depth + 1]:
                continue  # covered by a row-spanning label above
            last = depth == len(parts) - 1
            span = sum(1 for k in keys if paths[k][: depth + 1] == parts[: depth + 1])
            labels.append(Cell(part, rows=1 if last else span, cols=3 - depth if last else 1))
        codes = [f"t3_{key}__{col}" for col in (*T3_COLUMNS, "total")]
        rows.append((*labels, *_row(*(_fmt_value(fmt, c, cells[c]) for c in codes))))
    return Table(tuple(rows), header_rows=3)


def t4_table(fmt: str, cells: Cells) -> Table:
    results = ("upheld", "corrected", "other", "pending", "total")
    heads = [_label(fmt, f"t4_review_{r}") for r in results]
    codes = [f"t4_{g}_{r}" for g in ("review", "lit_direct", "lit_after_review") for r in results]
    rows = (
        _row(Cell("行政复议", cols=5), Cell("行政诉讼", cols=10)),
        _row(
            *(Cell(h, rows=2) for h in heads),
            Cell("未经复议直接起诉", cols=5),
            Cell("复议后起诉", cols=5),
        ),
        _row(*heads, *heads),
        _row(*(_fmt_value(fmt, c, cells[c]) for c in codes)),
    )
    return Table(rows, header_rows=3)
