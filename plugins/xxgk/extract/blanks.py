"""What a glued run says for certain when a blank cell may have left no trace.

The joint solver (``xxgk.extract.glued``) assumes every column of a glued run holds a
value; a table whose rows it cannot split together (the publisher's table does not
balance, or a blank cell vanished from the run) and a row with several joint splits are
settled here, each row alone, by every *reading* of its run: a split into its columns where
any column may also be blank, kept unless a rule within the row fails on it (judged
with the rule's null policy: a blank 总计 is no violation). A column every such reading
gives the same value is certain; a row with a single reading, and no blank in it, is split.

Spaces between chunks stay certain cell boundaries; past ``MAX_READINGS`` a run is left open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Final, Protocol

from xxgk.core.text import HALF_WIDTH
from xxgk.extract.glued import (
    GluedRow,
    Solution,
    ValueType,
    agreed_columns,
    cell_number,
    plausible,
)

Reading = tuple[str, ...]  # one text per column; "" a blank cell
# past this many readings a run is left as it is: they would hardly agree on a cell, and
# enumerating them costs more than a whole report (a table-四 run of 17 digits: ~0.2 s)
MAX_READINGS: Final = 2_000
_LOOSEST: Final[tuple[ValueType, ...]] = ("signed_count", "amount")  # what any cell may be


def readings(row: GluedRow, limit: int = MAX_READINGS) -> list[Reading] | None:
    """Every reading of the row's chunks into its columns, blanks allowed; None past
    ``limit``. A part never spans two chunks; a blank may fall anywhere."""
    chunks = tuple(c.translate(HALF_WIDTH) for c in row.chunks)
    ncols, out = len(row.codes), []

    def walk(ci: int, pos: int, col: int, acc: Reading) -> bool:
        if ci == len(chunks):
            out.append(acc + ("",) * (ncols - col))
            return len(out) <= limit
        if ncols - col < len(chunks) - ci:  # each chunk left needs a column at least
            return True
        if not walk(ci, pos, col + 1, (*acc, "")):
            return False
        chunk = chunks[ci]
        for end in range(pos + 1, len(chunk) + 1):
            part = chunk[pos:end]
            if not plausible(part, row.value_types[col]):
                digits = part.lstrip("+-")
                if digits.startswith("0") and len(digits) > 1:
                    break  # a leading zero only grows longer
                continue
            nxt = (ci + 1, 0) if end == len(chunk) else (ci, end)
            if not walk(*nxt, col + 1, (*acc, part)):
                return False
        return True

    return out if walk(0, 0, 0, ()) else None


class RowRule(Protocol):
    """A rule judging a row's reading (``xxgk.extract.arithmetic.RowRule``)."""

    @property
    def codes(self) -> frozenset[str]: ...
    def allows(self, values: Mapping[str, float | None]) -> bool: ...


def _allowed(reading: Reading, row: GluedRow, rules: Sequence[RowRule]) -> bool:
    values = {
        code: cell_number(t) if t else None for code, t in zip(row.codes, reading, strict=True)
    }
    return all(rule.allows(values) for rule in rules)


def row_readings(row: GluedRow, rules: Sequence[RowRule]) -> list[Reading] | None:
    """The readings of the row that the rules within it allow (None: too many to tell)."""
    mine = set(row.codes)
    own = [r for r in rules if r.codes <= mine]
    found = readings(row)
    return None if found is None else [r for r in found if _allowed(r, row, own)]


def settle(solution: Solution, rows: Sequence[GluedRow], rules: Sequence[RowRule]) -> Solution:
    """``solution`` with its unresolved rows settled row by row: a row no joint split fits
    is split when it has a single reading without a blank; every unresolved row gets the
    columns all its readings agree on (``solution.agreed``)."""
    for i in sorted(solution.ambiguous):
        found = row_readings(rows[i], rules)
        if not found:
            continue
        if i in solution.unbalanced and len(found) == 1 and "" not in found[0]:
            solution.resolved[i] = found[0]
            solution.by_row_rules.add(i)
            del solution.ambiguous[i]
            continue
        if i in solution.unbalanced:  # the joint candidates mean nothing there
            solution.ambiguous[i] = sorted(r for r in found if "" not in r)
        agreed = {col: t for col, t in agreed_columns(found).items() if t}
        if agreed:
            solution.agreed[i] = agreed
    return solution


@lru_cache(maxsize=4096)
def min_parts(text: str) -> int:
    """The fewest plausible cells ``text`` (one space-free token) can be cut into: 2 for
    '00' or '01' (a leading zero is a cell of its own), 1 for '120'. A row whose tokens
    need as many cells as it has columns has no reading with a blank cell."""
    t = text.translate(HALF_WIDTH)
    best = [0] + [len(t) + 1] * len(t)
    for end in range(1, len(t) + 1):
        for start in range(end):
            if best[start] < best[end] and any(plausible(t[start:end], vt) for vt in _LOOSEST):
                best[end] = best[start] + 1
    return best[len(t)]
