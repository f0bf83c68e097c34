"""Read the statistical tables of a report by aligning its tokens with the dictionary.

For each table of the detected format the printed rows are known (``TableSpec``). Label
tokens are matched to rows in printed order (a row is matched at most once, rows may be
missing); the value tokens that follow a row label, up to the next label (or the line end
when every line is a row), are that row's cells. A cell is emitted only when its column is
certain; otherwise the row is reported as ``column_ambiguous`` and no value is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from typing import Any, Final

from xxgk.core.formats import LATEST_TABLE_FORMAT
from xxgk.core.memo import Memo
from xxgk.core.text import label_core, leading_enumerator
from xxgk.dictionary.metrics import RowSpec, TableSpec, table_spec, table_variant_of, tables_of
from xxgk.extract import glued
from xxgk.extract.arithmetic import StatedFact, constraints_of, stated_numbers, value_type
from xxgk.extract.regions import Region, find_regions
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
from xxgk.extract.values import UNITS, parse_cell

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


@dataclass(slots=True)
class _Row:
    spec: RowSpec | None
    label: str
    cells: list[Token] = field(default_factory=list)
    closed: bool = False  # a row_end was seen after its cells (row mode)
    score: int = 0  # how its label matched the row (3: exactly)


@lru_cache(maxsize=65536)
def _token_keys(token_text: str) -> tuple[frozenset[str], str | None]:
    """Label cores a token may match (with and without a glued unit) and its enumerator."""
    core = label_core(token_text)
    if not core:
        return frozenset(), None
    cores = {core}
    for unit in UNITS:  # '…费用万元' glued with its unit
        if core.endswith(unit) and len(core) > len(unit) + 1:
            cores.add(core[: -len(unit)])
    return frozenset(cores), leading_enumerator(token_text)


@dataclass(frozen=True)
class _LabelIndex:
    """A table's row label cores, indexed for the three ways a token may match them."""

    exact: dict[str, tuple[int, ...]]  # core → rows: a token core equal to it
    whole: dict[str, tuple[int, ...]]  # core → rows: a token core ending with it
    tails: dict[str, tuple[int, ...]]  # suffix (≥ 4 chars) of a core → rows
    heads: dict[str, tuple[int, ...]]  # prefix (≥ 6 chars) of a core → rows
    longest: int  # length of the longest core


def _add(index: dict[str, list[int]], key: str, row: int) -> None:
    rows = index.setdefault(key, [])
    if not rows or rows[-1] != row:
        rows.append(row)


@cache
def _label_index(table: tuple[str, int, str | None]) -> _LabelIndex:
    exact: dict[str, list[int]] = {}
    tails: dict[str, list[int]] = {}
    heads: dict[str, list[int]] = {}
    for i, spec in enumerate(table_spec(*table).rows):
        for s in sorted(spec.cores):
            _add(exact, s, i)
            for k in range(4, len(s) + 1):
                _add(tails, s[-k:], i)
            for k in range(6, len(s) + 1):
                _add(heads, s[:k], i)

    def frozen(index: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
        return {k: tuple(v) for k, v in index.items()}

    return _LabelIndex(
        frozen(exact),
        frozen({k: v for k, v in exact.items() if len(k) >= 2}),
        frozen(tails),
        frozen(heads),
        max(map(len, exact), default=0),
    )


def _candidates(c: str, index: _LabelIndex) -> Iterator[tuple[int, int, int]]:
    """(row, length of the row core, score) for a token core: 3 equal, 2 the token ends with
    the row's core (a label merged with the header text before it), 1 a part of the core
    ('规范性文件' for '行政规范性文件'; a label cut by a wrap)."""
    for row in index.exact.get(c, ()):
        yield row, len(c), 3
    for k in range(2, min(len(c), index.longest + 1)):
        if k >= 4 or len(c) - k >= 6:
            for row in index.whole.get(c[-k:], ()):
                yield row, k, 2
    parts = (index.tails.get(c, ()) if len(c) >= 4 else ()) + (
        index.heads.get(c, ()) if len(c) >= 6 else ()
    )
    for row in parts:
        yield row, len(c), 1


def _row_scores(text: str, table: tuple[str, int, str | None]) -> tuple[tuple[int, int], ...]:
    """(row index, score) of every row ``text`` matches, in printed order."""
    cores, enum = _token_keys(text)
    index, rows = _label_index(table), table_spec(*table).rows
    scores: dict[int, int] = {}
    for c in cores:
        for row, s_len, score in _candidates(c, index):
            spec = rows[row]
            if s_len <= 3 and spec.enumerator and enum != spec.enumerator:
                continue  # short labels ('其他', '总计') only with their enumerator
            if score > scores.get(row, 0):
                scores[row] = score
    return tuple(sorted(scores.items()))


@cache
def _scores_of(table: tuple[str, int, str | None]) -> Memo[str, tuple[tuple[int, int], ...]]:
    """A label text → ``_row_scores`` of it in ``table``, one memo per table."""
    return Memo(partial(_row_scores, table=table), 65536)


def _find_spec(
    text: str, scores: Memo[str, tuple[tuple[int, int], ...]], after: int
) -> tuple[int, int] | None:
    """Index of the best-matching row after ``after`` and its score, by ``scores``.

    The first row with the best score wins, so a label matches the next row it names.
    """
    best, best_score = None, 0
    for i, score in scores[text]:
        if i > after and score > best_score:
            best, best_score = i, score
            if score == 3:
                break
    return None if best is None else (best, best_score)


class _RowBuilder:
    """Groups a token stream into rows: each matched (or unknown) label and its cells."""

    def __init__(self, spec: TableSpec, *, wrap: bool = True) -> None:
        self.spec = spec
        self.wrap = wrap  # False: lines are cut at row boundaries (a relined crawler dump)
        self.scores = _scores_of(spec.key)
        self.rows: list[_Row] = []
        self.current: _Row | None = None
        self.last = -1

    def read(self, tokens: list[Token]) -> list[_Row]:
        for tok in tokens:
            kind = tok.kind
            if kind == "value":  # most tokens
                cur = self.current
                if cur is None or cur.closed:
                    cur = self._start(None, "")  # values with no label of their own
                cur.cells.append(tok)
            elif kind == "row_end":
                if self.current is not None and self.current.cells:
                    self.current.closed = True
            elif kind == "label":
                self.label(tok)
        return self.rows

    def _start(self, spec_index: int | None, label: str, score: int = 0) -> _Row:
        if spec_index is not None:
            self.last = spec_index
        row_spec = self.spec.rows[spec_index] if spec_index is not None else None
        self.current = _Row(row_spec, label, score=score)
        self.rows.append(self.current)
        return self.current

    def label(self, tok: Token) -> None:
        hit = _find_spec(tok.text, self.scores, self.last)
        if " " in tok.text and (hit is None or hit[1] < 3) and self._run_together(tok.text):
            for part in tok.text.split():
                self.label(Token("label", part))
            return
        cur = self.current
        open_label = cur is not None and not cur.cells and not cur.closed
        # a weak match without its own enumerator continues a label wrapped over lines,
        # unless the open label already named its row in full (the next row's label then);
        # never across a relined crawler dump's cuts, which fall at row boundaries
        wrapped = (
            self.wrap
            and open_label
            and cur is not None
            and cur.spec is not None
            and hit is not None
            and hit[1] < 3
            and cur.score < 3
            and not _opens_row(tok.text)
        )
        if hit is not None and not wrapped and hit[1] == 1 and self._tail_only(tok.text, hit):
            self._start(None, tok.text)  # the end of a wrapped label, not its row's start
        elif hit is not None and not wrapped:
            self._start(hit[0], tok.text, hit[1])
        elif cur is None or not open_label or (cur.score == 3 and _opens_row(tok.text)):
            self._start(None, tok.text)  # a header, a row the form does not have, a cut label
        else:
            cur.label = f"{cur.label} {tok.text}".strip()  # label wrapped over lines
            merged = _find_spec(cur.label, self.scores, self.last) if cur.spec is None else None
            if merged is not None:  # the two halves together name a row
                self.last, cur.spec, cur.score = merged[0], self.spec.rows[merged[0]], merged[1]
            elif cur.spec is not None and cur.score < 3:  # the label may be whole now
                cur.score = max(cur.score, dict(self.scores[cur.label]).get(self.last, 0))

    def _run_together(self, text: str) -> bool:
        """Labels run together where blank cells left nothing between them ('行政许可
        第二十条第(六)项 … 行政处罚'): a part names a row exactly, so each part is a label."""
        exact = _label_index(self.spec.key).exact
        for part in text.split():
            if not any(c in exact for c in _token_keys(part)[0]):
                continue  # no row is named so: no scoring of the part
            hit = _find_spec(part, self.scores, self.last)
            if hit is not None and hit[1] == 3:
                return True
        return False

    def _tail_only(self, text: str, hit: tuple[int, int]) -> bool:
        """A weak match by the end of an enumerated row's label, without the enumerator:
        the last line of the row before it, wrapped below its values ('…行政机关不再处理
        其政府信' / '息公开申请' matches the next row's end as well)."""
        spec = self.spec.rows[hit[0]]
        if not spec.enumerator or _opens_row(text):
            return False
        cores = _token_keys(text)[0]
        return not any(core.startswith(c) for core in spec.cores for c in cores)


def _opens_row(text: str) -> bool:
    """An enumerator ('2.', '（三）') or '其中' starts a row's label, never continues one."""
    return leading_enumerator(text) is not None or text.lstrip().startswith("其中")


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


def _old_cell(row: _Row) -> Token | None:
    """Old table rows: 单位 | 统计数; a header total may sit in the 单位 column."""
    numbers = [c for c in row.cells if _PLAIN_VALUE[c.text] is not None]
    return numbers[-1] if numbers else None


def _emit(
    row: _Row, spec: RowSpec, fitted: list[Token | None], table_no: int, row_no: int
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


def _extra_cells(row: _Row, table_no: int, row_no: int, ncols: int) -> list[Cell]:
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
    row: _Row,
    spec: RowSpec,
    table: TableSpec,
    row_no: int,
    *,
    last_of_truncated: bool,
    explicit_blanks: bool,
    result: TableResult,
    runs: list[tuple[_Row, RowSpec, int]] | None = None,
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
    elif fitted is None and runs is not None and _is_run(cells, spec.ncols):
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
    rows = _RowBuilder(spec, wrap=not dump).read(tokens)
    runs: list[tuple[_Row, RowSpec, int]] | None = [] if dump else None
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
        )
    if runs:
        _split_glued(runs, spec, result, stated)
    if region.truncated:
        result.issues.append(
            Issue(
                "table_truncated",
                "error",  # the report's figures are incomplete: status `partial`
                f"table {TABLE_NAMES[spec.table_no]} ends before its last row",
            )
        )
    found = [r.spec for r in rows if r.spec is not None]
    return _covered(result, spec, found, truncated=region.truncated)


def _covered(
    result: TableResult, spec: TableSpec, found: list[RowSpec], *, truncated: bool
) -> TableResult:
    """``result`` with the table's coverage (``xxgk.extract.unread.table_coverage``)."""
    held = {c["metric"] for c in result.cells} | {u["metric"] for u in result.unread}
    result.coverage.append(table_coverage(spec, found, held, truncated=truncated))
    return result


def _emit_prefix(
    row: _Row, spec: RowSpec, cells: list[Token], table_no: int, row_no: int
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
    fitted = _fit(cells, row.ncols)
    label_row = _Row(row, "行政复议、行政诉讼", cells)
    if fitted is None and dump and _is_run(cells, row.ncols):
        _split_glued([(label_row, row, 1)], spec, result, stated)
    elif fitted is None and region.truncated:
        result.cells.extend(_emit_prefix(label_row, row, cells[: row.ncols], 4, 1))
    elif fitted is None:
        result.issues.append(
            Issue(
                "column_ambiguous",
                "warning",
                f"table 四: {len(cells)} cells for {row.ncols} columns; values not assigned",
            )
        )
        texts = [c.text for c in cells]
        result.unread += ambiguous_row(row, label_row.label, texts, 4, 1)
    elif cells or not region.truncated:
        result.cells.extend(_emit(label_row, row, fitted, 4, 1))
    if region.truncated:
        result.issues.append(Issue("table_truncated", "warning", "table 四 ends early"))
    return result


def _is_run(cells: list[Token], ncols: int) -> bool:
    """Fewer number tokens than columns, with digits enough for all: a glued run."""
    if not cells or len(cells) >= ncols or any(_PLAIN_VALUE[c.text] is None for c in cells):
        return False
    return sum(ch.isdigit() for c in cells for ch in c.text) >= ncols


def _split_glued(
    rows: list[tuple[_Row, RowSpec, int]],
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
    solution = glued.solve(runs, constraints_of(table.format_id), known, stated)
    name = TABLE_NAMES[table.table_no]
    for i, (row, spec, row_no) in enumerate(rows):
        split = solution.resolved.get(i)
        if split is None:
            splits = solution.ambiguous.get(i, [])
            why = glued.describe(runs[i], splits)
            result.issues.append(Issue("column_ambiguous", "warning", f"table {name}: {why}"))
            result.unread += glued_row(
                spec, row.label, runs[i].chunks, splits, table.table_no, row_no
            )
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
    dump = glued.is_dump(lines)
    stated = None
    if dump:  # a page flattened onto one line: one pseudo-line per row first
        lines = glued.reline(lines)
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
