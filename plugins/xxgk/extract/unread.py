"""What a table reader could not read, and which part of a table the report holds.

Two structures of the contract record, built here from what ``xxgk.extract.tables``
knows when it gives up on a row or reaches the end of a table:

* **unread cells** (``unread_cells``): one per cell of a row whose values were not
  assigned to columns (``column_ambiguous``: N values for M columns, or a glued run the
  arithmetic leaves open), with the row's raw text and the numbers the cell may hold
  (``candidates``, possibly empty). A cell read by OCR that no equality checks is listed
  too (``ocr_unverified``), its one candidate the value read.
* **coverage**: per table of the format, whether the report prints it, how many of its
  rows were found, the last one, whether the copy is cut, and the metrics the report does
  not hold at all (after the cut, or of a missing table). A rule needing one of those is
  not assessable: a row that is not in the report is not a blank cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from xxgk.dictionary.metrics import RowSpec, TableSpec
from xxgk.extract.values import parse_cell

UnreadCell = dict[str, Any]
Coverage = dict[str, Any]

COLUMN_AMBIGUOUS: Final = "column_ambiguous"
OCR_UNVERIFIED: Final = "ocr_unverified"
TABLE_NAMES: Final = {1: "统计表", 2: "二", 3: "三", 4: "四"}


def _number(text: str, unit: str | None) -> float | None:
    value = parse_cell(text, unit).value
    return None if value is None else float(value)


def _distinct(values: Iterable[float | None]) -> list[float]:
    return sorted({v for v in values if v is not None})


def _cell(
    spec: RowSpec,
    col: int,
    table_no: int,
    row_no: int,
    row_label: str,
    raw: str,
    candidates: list[float],
    reason: str = COLUMN_AMBIGUOUS,
) -> UnreadCell:
    code, _, column = spec.columns[col]
    return {
        "table_no": table_no,
        "row_no": row_no,
        "column_no": col + 1,
        "metric": code,
        "row_label": row_label,
        "column_label": column,
        "locator": f"table {table_no}, row {row_no}, column {col + 1}",
        "raw": raw,
        "reason": reason,
        "candidates": candidates,
    }


def ambiguous_row(
    spec: RowSpec, row_label: str, texts: Sequence[str], table_no: int, row_no: int
) -> list[UnreadCell]:
    """The cells of a row printing ``len(texts)`` values for ``spec.ncols`` columns.

    The values keep their order, so column ``j`` may hold value ``i`` only where the
    values before and after it still fit: with fewer values than columns (blanks left no
    mark) ``j - (m - n) <= i <= j``; with more (noise between the values)
    ``j <= i <= j + (n - m)``. Those values are the column's candidates."""
    n, m = len(texts), spec.ncols
    out = []
    for j, (_, unit, _) in enumerate(spec.columns):
        lo, hi = (max(0, j - (m - n)), min(j, n - 1)) if n <= m else (j, j + n - m)
        cands = _distinct(_number(texts[i], unit) for i in range(lo, hi + 1))
        out.append(_cell(spec, j, table_no, row_no, row_label, " ".join(texts), cands))
    return out


def glued_row(
    spec: RowSpec,
    row_label: str,
    chunks: Sequence[str],
    splits: Sequence[Sequence[str]],
    table_no: int,
    row_no: int,
) -> list[UnreadCell]:
    """The cells of a glued run with several (or no) splits: each column's candidates are
    the numbers the splits give it."""
    raw = " ".join(chunks)
    return [
        _cell(
            spec,
            j,
            table_no,
            row_no,
            row_label,
            raw,
            _distinct(_number(s[j], unit) for s in splits if len(s) > j),
        )
        for j, (_, unit, _) in enumerate(spec.columns)
    ]


def ocr_unverified(cells: Sequence[dict[str, Any]]) -> list[UnreadCell]:
    """OCR'd cells no equality of the table verifies: read, but to be checked by a person."""
    out = []
    for c in cells:
        table_no, row_no, col = (int(p.split()[-1]) for p in str(c["locator"]).split(",")[:3])
        out.append(
            {
                "table_no": table_no,
                "row_no": row_no,
                "column_no": col,
                "metric": c["metric"],
                "row_label": c["row_label"],
                "column_label": c["column_label"],
                "locator": c["locator"],
                "raw": c["raw"],
                "reason": OCR_UNVERIFIED,
                "candidates": [float(c["value"])],
            }
        )
    return out


def table_coverage(
    spec: TableSpec,
    found: Sequence[RowSpec],
    held_codes: set[str],
    *,
    truncated: bool,
) -> Coverage:
    """Which part of a printed table the report holds.

    ``found``: the rows matched, in printed order; ``held_codes``: the metrics given a
    cell or listed unread. A complete table holds every row (a row the reader missed is
    not absent: it may be printed). A cut one holds the rows up to the last one found,
    and of that row the cells held; the rest is absent.
    """
    printed = [r for r in spec.rows if r.on_template]
    index = {r.key: i for i, r in enumerate(spec.rows)}
    last = max((index[r.key] for r in found), default=-1)
    absent: list[str] = []
    if truncated:  # after the last row found, and that row's cells the copy does not hold
        for i, row in enumerate(spec.rows[max(last, 0) :], start=max(last, 0)):
            absent += [m.code for m in row.metrics if i > last or m.code not in held_codes]
    if truncated and not absent and last == len(spec.rows) - 1:
        # the copy ends right after the table's last cell (a scan of the table pages only):
        # nothing of the table is missing, so it is not cut
        truncated = False
    held = printed if not truncated else [r for r in printed if index[r.key] <= last]
    name = TABLE_NAMES[spec.table_no]
    last_row = spec.rows[last] if last >= 0 else None
    reason = None
    if not truncated and not any(m.code in held_codes for r in spec.rows for m in r.metrics):
        reason = f"table {name}: printed, but no cell of it was read"
    if truncated:
        reason = (
            f"table {name} cut after row {last + 1} ('{last_row.label}')"
            if last_row is not None
            else f"table {name} cut before its first row"
        )
    return {
        "table_no": spec.table_no,
        "present": True,
        "truncated": truncated,
        "rows_expected": len(printed),
        "rows_printed": len({r.key for r in found if r.on_template}),
        "last_row": None if last_row is None else last_row.key,
        "last_row_label": None if last_row is None else last_row.label,
        "cells_expected": sum(r.ncols for r in held) - sum(1 for c in absent if _in(held, c)),
        "absent_metrics": absent,
        "reason": reason,
    }


def _in(rows: Sequence[RowSpec], code: str) -> bool:
    return any(m.code == code for r in rows for m in r.metrics)


def missing_table(spec: TableSpec, cut_in: int | None = None) -> Coverage:
    """A table of the format the report does not print at all; ``cut_in``: the table
    before it in which the copy ends, if any (the table is then after the cut)."""
    printed = [r for r in spec.rows if r.on_template]
    return {
        "table_no": spec.table_no,
        "present": False,
        "truncated": False,
        "rows_expected": len(printed),
        "rows_printed": 0,
        "last_row": None,
        "last_row_label": None,
        "cells_expected": 0,
        "absent_metrics": [m.code for r in spec.rows for m in r.metrics],
        "reason": f"table {TABLE_NAMES[spec.table_no]} "
        + (f"not in the copy (it ends in table {TABLE_NAMES[cut_in]})" if cut_in else "missing"),
    }
