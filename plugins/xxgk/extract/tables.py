"""Read the statistical tables of a report by aligning its tokens with the dictionary.

For each table of the detected format the printed rows are known (``TableSpec``). Label
tokens are matched to rows in printed order (a row is matched at most once, rows may be
missing); the value tokens that follow a row label, up to the next label (or the line end
when every line is a row), are that row's cells. A cell is emitted only when its column is
certain; otherwise the row is reported as ``column_ambiguous`` and no value is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from xxgk.core.formats import LATEST_TABLE_FORMAT
from xxgk.core.memo import Memo
from xxgk.core.text import label_core, leading_enumerator
from xxgk.dictionary.metrics import RowSpec, TableSpec, table_spec, table_variant_of, tables_of
from xxgk.extract import glued
from xxgk.extract.arithmetic import (
    StatedFact,
    constraints_of,
    row_rules_of,
    stated_numbers,
    value_type,
)
from xxgk.extract.blanks import min_parts, settle
from xxgk.extract.dump import is_dump, reline
from xxgk.extract.regions import Region, find_regions
from xxgk.extract.rows import Row, RowBuilder
from xxgk.extract.tokens import (
    Token,
    cells_per_line,
    has_pipe_rows,
    join_open_parens,
    pipes_between,
    tokenize,
)
from xxgk.extract.unread import (
    TABLE_NAMES,
    Coverage,
    UnreadCell,
    ambiguous_row,
    glued_row,
    missing_table,
    table_coverage,
)
from xxgk.extract.values import parse_cell

_PIPES = re.compile(r"[|¦｜]")


# One cell as the contract's record: metric, value, raw, row_label, column_label, locator.
# Built as a dict straight away: a report has ~130 cells and the record is what leaves.
Cell = dict[str, Any]


def _row_locator(table_no: int, row_no: int) -> str:
    """A cell's locator is this followed by its column number."""
    return f"table {table_no}, row {row_no}, column "


@dataclass
class Issue:
    code: str
    severity: str
    message: str


@dataclass
class TableResult:
    cells: list[Cell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    unread: list[UnreadCell] = field(default_factory=list)  # cells not assigned
    coverage: list[Coverage] = field(default_factory=list)  # one per table


def _fit(cells: list[Token], n: int) -> list[Token | None] | None:
    """The row's cells aligned to ``n`` columns, or None when columns cannot be known."""
    if len(cells) == n:
        return list(cells)
    blanks = [_PLAIN_VALUE[c.text] is None for c in cells]  # a label's value is None too
    nonblank = [c for c, b in zip(cells, blanks, strict=True) if not b]
    if len(cells) > n and all(blanks[n:]):
        return list(cells[:n])
    k = len(cells) - n
    if k > 0 and all(blanks[:k]):
        return list(cells[k:])
    if len(nonblank) == n:
        return list(nonblank)
    if not nonblank:
        return [None] * n
    return None


def _old_cell(row: Row) -> Token | None:
    """Old table rows: 单位 | 统计数; a header total may sit in the 单位 column."""
    numbers = [c for c in row.cells if _PLAIN_VALUE[c.text] is not None]
    return numbers[-1] if numbers else None


def _emit(
    row: Row, spec: RowSpec, fitted: list[Token | None], table_no: int, row_no: int
) -> list[Cell]:
    label, where = row.label, _row_locator(table_no, row_no)
    texts = [tok[1] if tok is not None else "" for tok in fitted]
    return [
        {
            "metric": code,
            "value": _PLAIN_VALUE[raw] if unit is None else parse_cell(raw, unit).value,
            "raw": raw,
            "row_label": label,
            "column_label": column,
            "locator": where + col,
        }
        for col, (code, unit, column), raw in zip(
            _column_numbers(len(texts)), spec.columns, texts, strict=True
        )
    ]


@cache
def _column_numbers(n: int) -> tuple[str, ...]:
    return tuple(str(i) for i in range(1, n + 1))


def _plain_value(raw: str) -> float | int | None:
    return parse_cell(raw).value


_PLAIN_VALUE: Final = Memo(_plain_value, 65536)  # a count cell's text → its value


def _extra_cells(row: Row, table_no: int, row_no: int, ncols: int) -> list[Cell]:
    """A labelled row the form does not have (e.g. 其他主动公开文件): kept, metric null."""
    if not row.label or all(_PLAIN_VALUE[t.text] is None for t in row.cells):
        return []  # header rows and their span padding are not data
    cells = row.cells if len(row.cells) <= ncols or ncols == 0 else row.cells[:ncols]
    where = _row_locator(table_no, row_no)
    return [
        {
            "metric": None,
            "value": _PLAIN_VALUE[t.text],
            "raw": t.text,
            "row_label": row.label,
            "column_label": "",
            "locator": where + col,
        }
        for col, t in zip(_column_numbers(len(cells)), cells, strict=True)
    ]


def _read_row(
    row: Row,
    spec: RowSpec,
    table: TableSpec,
    row_no: int,
    *,
    last_of_truncated: bool,
    explicit_blanks: bool,
    result: TableResult,
    runs: list[tuple[Row, RowSpec, int]] | None = None,
    dump: bool = False,
) -> None:
    """Cells of one matched row into ``result`` (or a column_ambiguous issue); a row of a
    flattened page whose numbers are glued goes to ``runs`` to be split by arithmetic."""
    if table.format_id == "old" and spec.ncols == 1:
        result.cells.extend(_emit(row, spec, [_old_cell(row)], table.table_no, row_no))
        return
    cells = row.cells  # value tokens only (``_rows``)
    if not spec.on_template and all(_PLAIN_VALUE[c.text] is None for c in cells):
        return  # a group label ('（三）不予公开') printed without a subtotal
    fitted = _fit(cells, spec.ncols)
    if fitted is None and last_of_truncated and explicit_blanks:
        prefix = list(cells[: spec.ncols])
        result.cells.extend(_emit_prefix(row, spec, prefix, table.table_no, row_no))
    elif fitted is None and runs is not None and _is_run(cells, spec.ncols, dump=dump):
        runs.append((row, spec, row_no))
    elif fitted is None:
        result.issues.append(
            Issue(
                "column_ambiguous",
                "warning",
                f"table {TABLE_NAMES[table.table_no]}: row '{row.label}' has {len(cells)} cells "
                f"for {spec.ncols} columns; its values were not assigned",
            )
        )
        texts = [c.text for c in cells]
        result.unread += ambiguous_row(spec, row.label, texts, table.table_no, row_no)
    elif not (last_of_truncated and not cells):  # a copy ending at this row's label
        result.cells.extend(_emit(row, spec, fitted, table.table_no, row_no))


def read_table(
    region: Region,
    lines: list[str],
    spec: TableSpec,
    *,
    dump: bool = False,
    stated: Mapping[str, frozenset[float]] | None = None,
) -> TableResult:
    """Cells of one table region; ``dump``: a flattened page whose runs may be glued."""
    body = lines[region.start : region.end]
    text = "\n".join(body)
    body = join_open_parens(body, text)
    pipes = _PIPES.search(text) is not None
    row_mode = (pipes and has_pipe_rows(body)) or cells_per_line(body) >= 1.5
    explicit_blanks = row_mode or pipes
    tokens = tokenize(body, row_mode=row_mode, between=row_mode and pipes_between(body))
    result = TableResult()
    if spec.table_no == 4:
        _read_table4(tokens, spec, result, region, dump=dump, stated=stated)
        found = [spec.rows[0]] if any(t.kind == "value" for t in tokens) else []
        return _covered(result, spec, found, truncated=region.truncated)
    rows = RowBuilder(spec, wrap=not dump).read(tokens)
    runs: list[tuple[Row, RowSpec, int]] = []
    last_printed = [r for r in spec.rows if r.on_template][-1]
    if region.truncated and any(r.spec is last_printed and r.cells for r in rows):
        region = Region(region.table_no, region.start, region.end, False)  # complete after all
    width = max((r.ncols for r in spec.rows), default=1)
    for row_no, row in enumerate(rows, start=1):
        if row.spec is None:
            result.cells.extend(_extra_cells(row, spec.table_no, row_no, width))
            continue
        # values with no label right after a run: the run was cut, so it is not whole
        cut = row_no < len(rows) and rows[row_no].spec is None and not rows[row_no].label
        _read_row(
            row,
            row.spec,
            spec,
            row_no,
            result=result,
            explicit_blanks=explicit_blanks,
            last_of_truncated=region.truncated and row is rows[-1],
            runs=None if cut else runs,
            dump=dump,
        )
    if runs:
        _split_glued(runs, spec, result, stated)
    # no row label of the form: a layout the dictionary lacks (an older provincial table),
    # not a copy cut short; its labelled figures are kept without metric codes
    unknown_layout = any(r.cells for r in rows) and all(r.spec is None for r in rows)
    if unknown_layout:
        result.issues.append(
            Issue(
                "table_layout_unknown",
                "warning",
                f"table {TABLE_NAMES[spec.table_no]}: none of its row labels is the "
                f"dictionary's; its cells are kept without metric codes",
            )
        )
    elif region.truncated:
        result.issues.append(
            Issue(
                "table_truncated",
                "error",  # the report's figures are incomplete: status `partial`
                f"table {TABLE_NAMES[spec.table_no]} ends before its last row",
            )
        )
    found = [r.spec for r in rows if r.spec is not None]
    return _covered(result, spec, found, truncated=region.truncated and not unknown_layout)


def _covered(
    result: TableResult, spec: TableSpec, found: list[RowSpec], *, truncated: bool
) -> TableResult:
    """``result`` with the table's coverage (``xxgk.extract.unread.table_coverage``)."""
    held = {c["metric"] for c in result.cells} | {u["metric"] for u in result.unread}
    result.coverage.append(table_coverage(spec, found, held, truncated=truncated))
    return result


def _emit_prefix(
    row: Row, spec: RowSpec, cells: list[Token], table_no: int, row_no: int
) -> list[Cell]:
    """A row cut off by the end of the copy: only the cells that are there."""
    metrics = spec.metrics[: len(cells)]
    sub = RowSpec(spec.key, spec.label, spec.cores, spec.enumerator, metrics, spec.group)
    return _emit(row, sub, list(cells), table_no, row_no)


def _read_table4(
    tokens: list[Token],
    spec: TableSpec,
    result: TableResult,
    region: Region,
    *,
    dump: bool = False,
    stated: Mapping[str, frozenset[float]] | None = None,
) -> TableResult:
    row = spec.rows[0]
    cells = [t for t in tokens if t.kind == "value"]
    stray = _stray_among_values(tokens, row)
    fitted = None if stray else _fit(cells, row.ncols)
    label_row = Row(row, "行政复议、行政诉讼", cells)
    if fitted is None and _is_run(cells, row.ncols, dump=dump):
        _split_glued([(label_row, row, 1)], spec, result, stated)
    elif fitted is None and region.truncated:
        result.cells.extend(_emit_prefix(label_row, row, cells[: row.ncols], 4, 1))
    elif fitted is None:
        result.issues.append(
            Issue(
                "column_ambiguous",
                "warning",
                f"table 四: {len(cells)} cells for {row.ncols} columns; values not assigned"
                if stray is None
                else f"table 四: '{stray}' among its values; values not assigned",
            )
        )
        texts = [c.text for c in cells]
        result.unread += ambiguous_row(row, label_row.label, texts, 4, 1)
    elif cells or not region.truncated:
        result.cells.extend(_emit(label_row, row, fitted, 4, 1))
    if region.truncated and (fitted is None or not cells):  # its one row not whole
        result.issues.append(Issue("table_truncated", "warning", "table 四 ends early"))
    return result


def _stray_among_values(tokens: list[Token], row: RowSpec) -> str | None:
    """A text on table 四's value line (its last line with a value, when cells are printed
    row by row) that is none of the table's headings: a cell misread as text ('2 二' in a
    scan) leaves the columns unknown; dropped, it would shift the values beside it."""
    ends = [i for i, t in enumerate(tokens) if t.kind == "row_end"]
    last = max((i for i, t in enumerate(tokens) if t.kind == "value"), default=None)
    if not ends or last is None:
        return None
    start = max((e for e in ends if e < last), default=-1) + 1
    end = min((e for e in ends if e > last), default=len(tokens))
    headings = _headings(row)
    stray = (t.text for t in tokens[start:end] if t.kind == "label")
    return next((text for text in stray if not _is_heading_text(text, headings)), None)


def _is_heading_text(text: str, headings: frozenset[str]) -> bool:
    """Is every blank-separated piece of a label one of the table's headings or its title
    ('四、…情况')? A crawler dump prints the whole header block on the value line as one
    label: it is not a stray cell."""
    return all(
        label_core(piece) in headings or leading_enumerator(piece) is not None
        for piece in text.split()
    )


@cache
def _headings(row: RowSpec) -> frozenset[str]:
    return frozenset(label_core(part) for m in row.metrics for part in m.label_path)


def _is_run(cells: list[Token], ncols: int, *, dump: bool) -> bool:
    """Fewer number tokens than columns, with digits enough for all: a glued run. Off a
    crawler dump a blank cell may also leave nothing, so a short row is a glued run there
    only when no reading with a blank exists (``00 0 0 00 0``: '00' is two cells)."""
    if not cells or len(cells) >= ncols or any(_PLAIN_VALUE[c.text] is None for c in cells):
        return False
    if sum(ch.isdigit() for c in cells for ch in c.text) < ncols:
        return False
    return dump or sum(min_parts(c.text) for c in cells) >= ncols


def _split_glued(
    rows: list[tuple[Row, RowSpec, int]],
    table: TableSpec,
    result: TableResult,
    stated: Mapping[str, frozenset[float]] | None = None,
) -> None:
    """Split the glued runs of a table's rows by its arithmetic (``xxgk.extract.glued``)."""
    known = {
        c["metric"]: c["value"]
        for c in result.cells
        if c["metric"] is not None and c["value"] is not None
    }
    runs = [
        glued.GluedRow(
            row.label,
            tuple(m.code for m in spec.metrics),
            tuple(value_type(m.value_type) for m in spec.metrics),
            tuple(c.text for c in row.cells),
        )
        for row, spec, _ in rows
    ]
    constraints = constraints_of(table.format_id)
    rules = row_rules_of(table.format_id)
    solution = settle(glued.solve(runs, constraints, known, stated), runs, rules)
    name = TABLE_NAMES[table.table_no]
    for i, (row, spec, row_no) in enumerate(rows):
        split = solution.resolved.get(i)
        if split is None:
            agreed = solution.agreed.get(i, {})
            splits = solution.ambiguous.get(i, [])
            why = glued.describe(runs[i], splits, agreed)
            if i in solution.unbalanced:  # its splits fit its own row only
                why += " (splits with every cell printed: a vanished blank reads it otherwise too)"
            result.issues.append(Issue("column_ambiguous", "warning", f"table {name}: {why}"))
            unread = glued_row(spec, row.label, runs[i].chunks, splits, table.table_no, row_no)
            # the cells every candidate split gives the same text are certain: read, not unread
            result.unread += [u for u in unread if u["column_no"] - 1 not in agreed]
            if agreed:
                some = [
                    Token("value", agreed[j]) if j in agreed else None for j in range(spec.ncols)
                ]
                cells = _emit(row, spec, some, table.table_no, row_no)
                result.cells.extend(c for j, c in enumerate(cells) if j in agreed)
            continue
        if i in solution.by_narrative:  # say so: the prose, not the arithmetic, decided it
            result.issues.append(
                Issue(
                    "glued_run_by_narrative",
                    "warning",
                    (
                        f"table {name}: glued run '{' '.join(runs[i].chunks)}' "
                        f"of row '{row.label}' split as {' · '.join(split)}: the only split giving "
                        f"{solution.by_narrative[i]} a number the report's prose states"
                    ),
                )
            )
        tokens: list[Token | None] = [Token("value", t) for t in split]
        result.cells.extend(_emit(row, spec, tokens, table.table_no, row_no))
    if solution.unbalanced:
        failing = sorted(solution.unbalanced)
        alone = [rows[i][0].label for i in failing if i in solution.by_row_rules]
        result.issues.append(_unbalanced(name, [rows[i][0].label for i in failing], alone))


def _unbalanced(name: str, labels: list[str], alone: list[str]) -> Issue:
    """The rows no joint split fits: the table's rules across rows cannot all hold, which
    the quality rules then report on the cells split under each row's own rules."""
    left = [label for label in labels if label not in alone]
    read = f"{len(alone)} of them split under their own row rules alone"
    if left:
        read += f"; not split: {_quoted(left)}"
    return Issue(
        "table_does_not_balance",
        "warning",
        f"table {name} does not balance: no split of the glued rows {_quoted(labels)} "
        f"satisfies the table's arithmetic across rows; {read}",
    )


def _quoted(labels: list[str], shown: int = 12) -> str:
    more = f" (+{len(labels) - shown} more)" if len(labels) > shown else ""
    return ", ".join(f"'{label}'" for label in labels[:shown]) + more


def _variant_of(format_id: str, lines: list[str], regions: dict[int, Region]) -> str | None:
    """The provincial layout whose labels the format's table regions carry, if any."""
    if not regions:
        return None
    start, end = min(r.start for r in regions.values()), max(r.end for r in regions.values())
    return table_variant_of(format_id, "\n".join(lines[start:end]))


def read_tables(lines: list[str], format_id: str, facts: Sequence[StatedFact] = ()) -> TableResult:
    """All tables of a report of the given format.

    'unknown' (tables 三/四 without table 二 or a year) reads tables 三 and 四 only, whose
    cells mean the same in v2019 and v2021. ``facts``: the narrative facts; the numbers they
    state for some cells only split a glued run the arithmetic leaves open.
    """
    out = TableResult()
    shared_only = format_id == "unknown"
    if shared_only:
        format_id = LATEST_TABLE_FORMAT
    dump = is_dump(lines)
    stated = None
    if dump:  # a page flattened onto one line: one pseudo-line per row first
        lines = reline(lines)
        stated = stated_numbers(facts, format_id)
    regions = find_regions(lines, format_id)
    variant = _variant_of(format_id, lines, regions)
    for table_no in (3, 4) if shared_only else tables_of(format_id):
        region = regions.get(table_no)
        spec = table_spec(format_id, table_no, variant)
        if region is None:
            cut = [c["table_no"] for c in out.coverage if c["truncated"]]
            out.coverage.append(missing_table(spec, cut[-1] if cut else None))
            continue
        res = read_table(region, lines, spec, dump=dump, stated=stated)
        out.cells.extend(res.cells)
        out.issues.extend(res.issues)
        out.unread.extend(res.unread)
        out.coverage.extend(res.coverage)
    return out
