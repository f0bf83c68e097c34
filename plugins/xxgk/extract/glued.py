"""Glued digit runs: a table row whose cells lost their separators, split by arithmetic.

Crawler dumps of a whole report on one line keep a table's cells with no separator
between them: ``规范性文件898989`` is 89 · 89 · 89, table 四 is one 15–17-digit run, a
negative 本年增/减 sits glued between its neighbours (``26-5430``). Stray spaces that
survive inside a row (``230 000023``) are certain cell boundaries; the digits between them
are not.

A run is split by enumerating every split into the row's columns whose parts are
plausible cells (no leading zeros except ``0`` itself, a sign only in a signed column, a
decimal point or ``元`` only in an amount column, counts of at most ``MAX_COUNT_DIGITS``
digits) and keeping those that satisfy the table's arithmetic (the dictionary's error
rules: row and column totals, the table-三 balance, …). Rows linked by a rule are solved
jointly. A row gets values only when every surviving solution gives it the same split;
otherwise it is ambiguous and the candidate splits are reported, never guessed.

Pure: no I/O, no dictionary access; the caller passes the columns and the constraints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from xxgk.core.text import HALF_WIDTH

ValueType = Literal["count", "signed_count", "amount"]
Comparator = Literal["==", "<=", ">=", "<", ">"]

MAX_COUNT_DIGITS: Final = 9  # a count cell of ten digits or more is not a plausible figure
MAX_SPLITS: Final = 20_000  # per row: beyond this a run is reported, not searched
MAX_NODES: Final = 200_000  # joint search budget over the rows of one table
MAX_SHOWN: Final = 12  # candidate splits named in an issue message

_COUNT = re.compile(r"(?:0|[1-9]\d*)", re.ASCII)
# '--253' is how some tables write -253
_SIGNED = re.compile(r"(?:[+\-]|--)?(?:0|[1-9]\d*)", re.ASCII)
_AMOUNT = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?", re.ASCII)


@dataclass(frozen=True)
class Constraint:
    """``Σ sign·code <comparator> constant`` (a linear rule clause moved to one side)."""

    terms: tuple[tuple[int, str], ...]
    comparator: Comparator
    constant: float = 0.0
    tolerance: float = 0.0

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for _, code in self.terms)

    def holds(self, values: Mapping[str, float]) -> bool:
        d = sum(sign * values[code] for sign, code in self.terms) - self.constant
        slack = self.tolerance + 1e-9
        if self.comparator == "==":
            return abs(d) <= slack
        if self.comparator == "<=":
            return d <= slack
        if self.comparator == ">=":
            return d >= -slack
        if self.comparator == "<":
            return d < slack
        return d > -slack


@dataclass(frozen=True)
class GluedRow:
    """One table row to split: its columns' metric codes and value types, and its chunks
    (space-separated value texts, each holding one or more whole cells)."""

    label: str
    codes: tuple[str, ...]
    value_types: tuple[ValueType, ...]
    chunks: tuple[str, ...]


@dataclass
class Solution:
    """Per row (by index): the split texts, or the candidate splits when not unique."""

    resolved: dict[int, tuple[str, ...]] = field(default_factory=dict)
    ambiguous: dict[int, list[tuple[str, ...]]] = field(default_factory=dict)
    by_narrative: dict[int, str] = field(default_factory=dict)  # row → the code it confirmed
    # rows no joint split fits: the table does not balance (or a blank left no trace)
    unbalanced: list[int] = field(default_factory=list)
    by_row_rules: set[int] = field(default_factory=set)  # resolved by their own rules alone
    # ambiguous row → column → the text every candidate split gives that column
    agreed: dict[int, dict[int, str]] = field(default_factory=dict)


def plausible(part: str, value_type: ValueType) -> bool:
    if value_type == "amount":
        return _AMOUNT.fullmatch(part) is not None
    rx = _SIGNED if value_type == "signed_count" else _COUNT
    return rx.fullmatch(part) is not None and len(part.lstrip("+-")) <= MAX_COUNT_DIGITS


def _chunk_splits(chunk: str, types: Sequence[ValueType]) -> Iterator[tuple[str, ...]]:
    """Every way to cut ``chunk`` into ``len(types)`` plausible parts, in order."""
    if len(types) == 1:
        if plausible(chunk, types[0]):
            yield (chunk,)
        return
    rest = len(types) - 1
    for cut in range(1, len(chunk) - rest + 1):
        head = chunk[:cut]
        if not plausible(head, types[0]):
            digits = head.lstrip("+-")
            if not digits:
                continue  # a sign so far: its number follows
            if types[0] != "amount" and (not digits.isdigit() or len(digits) > MAX_COUNT_DIGITS):
                break  # a longer head is no count either
            if digits.startswith("0") and digits != "0":
                break  # a leading zero only grows longer
            continue
        for tail in _chunk_splits(chunk[cut:], types[1:]):
            yield (head, *tail)


def row_splits(row: GluedRow, limit: int = MAX_SPLITS) -> list[tuple[str, ...]] | None:
    """Every plausible split of the row's chunks into its columns; None past ``limit``."""
    out: list[tuple[str, ...]] = []
    ncols, chunks = len(row.codes), tuple(c.translate(HALF_WIDTH) for c in row.chunks)

    def walk(i: int, col: int, acc: tuple[str, ...]) -> bool:
        if i == len(chunks):
            if col == ncols:
                out.append(acc)
            return len(out) <= limit
        left = len(chunks) - i - 1  # each later chunk holds at least one cell
        for k in range(1, ncols - col - left + 1):
            for parts in _chunk_splits(chunks[i], row.value_types[col : col + k]):
                if not walk(i + 1, col + k, acc + parts):
                    return False
        return True

    return out if walk(0, 0, ()) else None


def cell_number(text: str) -> float:
    """The number a split part stands for (parts are plausible: see ``plausible``)."""
    t = text.removesuffix("万元").removesuffix("元")
    sign = -1 if t.startswith("-") else 1
    t = t.lstrip("+-")
    return sign * (float(t) if "." in t else int(t))


def _local(
    cands: list[tuple[str, ...]],
    row: GluedRow,
    constraints: Sequence[Constraint],
    known: Mapping[str, float],
) -> list[tuple[str, ...]]:
    """Candidates that pass every constraint decided by this row and the known cells."""
    mine = set(row.codes)
    local = [c for c in constraints if c.codes <= mine | known.keys() and c.codes & mine]
    if not local:
        return cands
    kept = []
    for cand in cands:
        values = dict(known)
        values.update(zip(row.codes, map(cell_number, cand), strict=True))
        if all(c.holds(values) for c in local):
            kept.append(cand)
    return kept


class _Search:
    """Backtracking over the rows left with several candidates, checking each constraint
    as soon as all its cells are assigned; records which splits occur in some solution."""

    def __init__(
        self,
        rows: list[GluedRow],
        cands: list[list[tuple[str, ...]]],
        constraints: Sequence[Constraint],
        known: Mapping[str, float],
    ) -> None:
        self.rows, self.cands = rows, cands
        self.values: dict[str, float] = dict(known)
        self.seen: list[set[tuple[str, ...]]] = [set() for _ in rows]
        self.nodes = 0
        self.choice: list[tuple[str, ...]] = []
        # a constraint is checked at the first depth where all its cells are assigned
        assigned = set(known)
        self.checks: list[list[Constraint]] = []
        pending = [c for c in constraints if not c.codes <= assigned]
        for row in rows:
            assigned |= set(row.codes)
            now = [c for c in pending if c.codes <= assigned]
            self.checks.append(now)
            pending = [c for c in pending if c not in now]

    def run(self) -> bool:
        """False when the search budget ran out (nothing may then be concluded)."""
        return self._walk(0)

    def _walk(self, depth: int) -> bool:
        if depth == len(self.rows):
            for i, cand in enumerate(self.choice):
                self.seen[i].add(cand)
            return True
        row = self.rows[depth]
        for cand in self.cands[depth]:
            self.nodes += 1
            if self.nodes > MAX_NODES:
                return False
            self.values.update(zip(row.codes, map(cell_number, cand), strict=True))
            if all(c.holds(self.values) for c in self.checks[depth]):
                self.choice.append(cand)
                ok = self._walk(depth + 1)
                self.choice.pop()
                if not ok:
                    return False
        return True


def solve(
    rows: Sequence[GluedRow],
    constraints: Sequence[Constraint],
    known: Mapping[str, float],
    stated: Mapping[str, frozenset[float]] | None = None,
) -> Solution:
    """Split every row, jointly where constraints link rows.

    Args:
        rows: the rows holding glued runs (chunks fewer than columns).
        constraints: the table's arithmetic, over metric codes.
        known: values of the table's cells that were read without splitting.
        stated: numbers the report's own prose states for some cells (narrative facts
            cross-checked with them): a row the arithmetic leaves ambiguous is split when
            exactly one of its candidates gives such a cell a stated number.
    Returns:
        Rows with exactly one surviving split, and the others with their candidates
        (an empty candidate list: no split satisfies the arithmetic).
    """
    found = [row_splits(r) for r in rows]
    # a row too long to enumerate has unknown cells: constraints over them decide nothing
    blocked = {code for r, f in zip(rows, found, strict=True) if f is None for code in r.codes}
    everything = set(known).union(*(r.codes for r in rows))
    usable = [c for c in constraints if not c.codes & blocked and c.codes <= everything]
    cands = {
        i: _local(f, row, usable, known)
        for i, (row, f) in enumerate(zip(rows, found, strict=True))
        if f is not None
    }
    # a row no split of which passes its own arithmetic is unreadable (a blank cell that left
    # no trace, a misprint): its cells decide nothing, and its neighbours are not doubted
    unreadable = {code for i, c in cands.items() if not c for code in rows[i].codes}
    usable = [c for c in usable if not c.codes & unreadable]
    cands = {i: c for i, c in cands.items() if c}
    sol = _search_all(rows, cands, usable, known)
    pinned = _pins(rows, sol, stated or {})
    if pinned:
        cands.update({i: [split] for i, (split, _) in pinned.items()})
        sol = _search_all(rows, cands, usable, known)
        sol.by_narrative = {i: code for i, (_, code) in pinned.items() if i in sol.resolved}
    for i in range(len(rows)):
        if i not in sol.resolved and i not in sol.ambiguous:
            sol.ambiguous[i] = []  # too long to enumerate
            if found[i] is not None:  # no split fits its arithmetic with the known cells
                sol.unbalanced.append(i)
    sol.unbalanced.sort()
    return sol


def agreed_columns(candidates: Sequence[tuple[str, ...]]) -> dict[int, str]:
    """Column → text, for the columns on which every candidate split agrees (none for no
    candidate): the true split is one of them, so such a cell is certain."""
    if not candidates:
        return {}
    first = candidates[0]
    return {
        col: text for col, text in enumerate(first) if all(c[col] == text for c in candidates[1:])
    }


def _search_all(
    rows: Sequence[GluedRow],
    cands: Mapping[int, list[tuple[str, ...]]],
    usable: Sequence[Constraint],
    known: Mapping[str, float],
) -> Solution:
    sol = Solution()
    cands = _narrow(rows, cands, usable, known)
    for group in _components(sorted(cands), rows, usable):
        # rows with one candidate first: their values prune the others early
        group.sort(key=lambda i: len(cands[i]))
        search = _Search([rows[i] for i in group], [cands[i] for i in group], usable, known)
        completed = search.run()
        if completed and not search.seen[0]:
            # no joint solution: the publisher's table does not balance, or a blank cell
            # left no trace; each row is then settled alone (``xxgk.extract.blanks``)
            sol.unbalanced.extend(group)
        for j, i in enumerate(group):
            seen = search.seen[j]
            if completed and len(seen) == 1:
                sol.resolved[i] = next(iter(seen))
            else:  # several solutions, none at all, or the budget ran out
                sol.ambiguous[i] = sorted(seen) if completed and seen else cands[i]
    return sol


def _narrow(
    rows: Sequence[GluedRow],
    cands: Mapping[int, list[tuple[str, ...]]],
    constraints: Sequence[Constraint],
    known: Mapping[str, float],
) -> dict[int, list[tuple[str, ...]]]:
    """Drop the candidates that no values of the other rows (within the range their own
    candidates span) can complete; repeated until nothing changes. Cheap, and it keeps the
    joint search small: a column total over 21 rows is otherwise checked only at the end."""
    out = {i: list(c) for i, c in cands.items()}
    owner = {code: i for i in out for code in rows[i].codes}
    changed = True
    while changed:
        changed = False
        bounds = {code: (v, v) for code, v in known.items()}
        for i, cs in out.items():
            for col, code in enumerate(rows[i].codes):
                values = [cell_number(c[col]) for c in cs] or [0]
                bounds[code] = (min(values), max(values))
        for con in constraints:
            for i in {owner[code] for _, code in con.terms if code in owner}:
                mine = dict.fromkeys(rows[i].codes, 0)
                keep = [c for c in out[i] if _admits(con, bounds, mine, c)]
                if len(keep) < len(out[i]):
                    out[i], changed = keep, True
    return out


def _admits(
    con: Constraint,
    bounds: Mapping[str, tuple[float, float]],
    mine: Mapping[str, int],
    cand: tuple[str, ...],
) -> bool:
    """Whether ``con`` can hold with this row's cells as ``cand`` and the others in bounds."""
    exact = dict(zip(mine, map(cell_number, cand), strict=True))
    lo = hi = -con.constant
    for sign, code in con.terms:
        a, b = (exact[code], exact[code]) if code in exact else bounds[code]
        lo, hi = (lo + sign * a, hi + sign * b) if sign > 0 else (lo + sign * b, hi + sign * a)
    slack = con.tolerance + 1e-9
    if con.comparator == "==":
        return lo <= slack and hi >= -slack
    if con.comparator in ("<=", "<"):
        return lo <= slack
    return hi >= -slack


def _pins(
    rows: Sequence[GluedRow], sol: Solution, stated: Mapping[str, frozenset[float]]
) -> dict[int, tuple[tuple[str, ...], str]]:
    """Ambiguous rows that exactly one candidate split fits to a number the prose states."""
    out: dict[int, tuple[tuple[str, ...], str]] = {}
    for i, candidates in sol.ambiguous.items():
        for col, code in enumerate(rows[i].codes):
            numbers = stated.get(code)
            if not numbers or len(candidates) < 2:
                continue
            fits = [c for c in candidates if cell_number(c[col]) in numbers]
            if len(fits) == 1:
                out[i] = (fits[0], code)
                break
    return out


def _components(
    open_rows: list[int], rows: Sequence[GluedRow], constraints: Sequence[Constraint]
) -> list[list[int]]:
    """The rows grouped so that no constraint links two groups (each is searched alone)."""
    parent = {i: i for i in open_rows}

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i] = parent[parent[i]]
        return i

    owner = {code: i for i in open_rows for code in rows[i].codes}
    for c in constraints:
        linked = sorted({root(owner[code]) for code in c.codes if code in owner})
        for o in linked[1:]:
            parent[o] = linked[0]
    groups: dict[int, list[int]] = {}
    for i in open_rows:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def describe(
    row: GluedRow,
    candidates: Sequence[tuple[str, ...]],
    agreed: Mapping[int, str] | None = None,
) -> str:
    """The issue text for an ambiguous run: the row, the run and (some of) its candidate
    splits ('—' a blank cell); worded like every column_ambiguous issue ("row '…' has …").
    ``agreed``: the columns every candidate gives the same text (read all the same)."""
    run, ncols = " ".join(row.chunks), len(row.codes)
    if not candidates:
        return (
            f"row '{row.label}' has no split of its glued run '{run}' into {ncols} columns "
            f"that satisfies the table's arithmetic; its values were not assigned"
        )
    shown = "; ".join(" · ".join(p or "—" for p in c) for c in candidates[:MAX_SHOWN])
    more = f" (+{len(candidates) - MAX_SHOWN} more)" if len(candidates) > MAX_SHOWN else ""
    rest = "its values were not assigned"
    if agreed:
        cols = ", ".join(str(c + 1) for c in sorted(agreed))
        rest = f"columns {cols}, the same in every split, were read; its other values were not"
    return (
        f"row '{row.label}' has {len(candidates)} splits of its glued run '{run}' into "
        f"{ncols} columns: {shown}{more}; {rest}"
    )
