"""Label tokens → table rows: which printed row of the form each label names.

Label tokens are matched to the form's rows (``TableSpec``) in printed order: a row is
matched at most once, rows may be missing, a label may be wrapped over lines or run
together with the next one. The value tokens that follow a row label, up to the next
label, are that row's cells. ``xxgk.extract.tables`` turns the rows into cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial

from xxgk.core.memo import Memo
from xxgk.core.text import label_core, leading_enumerator
from xxgk.dictionary.metrics import RowSpec, TableSpec, table_spec
from xxgk.extract.tokens import Token
from xxgk.extract.values import UNITS


@dataclass(slots=True)
class Row:
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


class RowBuilder:
    """Groups a token stream into rows: each matched (or unknown) label and its cells."""

    def __init__(self, spec: TableSpec, *, wrap: bool = True) -> None:
        self.spec = spec
        self.wrap = wrap  # False: lines are cut at row boundaries (a relined crawler dump)
        self.scores = _scores_of(spec.key)
        self.rows: list[Row] = []
        self.current: Row | None = None
        self.last = -1

    def read(self, tokens: list[Token]) -> list[Row]:
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

    def _start(self, spec_index: int | None, label: str, score: int = 0) -> Row:
        if spec_index is not None:
            self.last = spec_index
        row_spec = self.spec.rows[spec_index] if spec_index is not None else None
        self.current = Row(row_spec, label, score=score)
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
            and not opens_row(tok.text)
        )
        if hit is not None and not wrapped and hit[1] == 1 and self._tail_only(tok.text, hit):
            self._start(None, tok.text)  # the end of a wrapped label, not its row's start
        elif hit is not None and not wrapped:
            self._start(hit[0], tok.text, hit[1])
        elif cur is None or not open_label or (cur.score == 3 and opens_row(tok.text)):
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
        if not spec.enumerator or opens_row(text):
            return False
        cores = _token_keys(text)[0]
        return not any(core.startswith(c) for core in spec.cores for c in cores)


def opens_row(text: str) -> bool:
    """An enumerator ('2.', '（三）') or '其中' starts a row's label, never continues one."""
    return leading_enumerator(text) is not None or text.lstrip().startswith("其中")
