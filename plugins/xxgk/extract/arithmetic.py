"""What the glued-run solver (``xxgk.extract.glued``) is told about a table: the dictionary's
arithmetic as linear constraints, the value type of each column, and the numbers the report's
prose states for some cells. Kept apart from the solver so that stays free of the dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from xxgk.dictionary.metrics import cross_check_codes
from xxgk.dictionary.rules import Rule, evaluate_rule, load_rules
from xxgk.extract.glued import Constraint, ValueType


class StatedFact(Protocol):
    """A number the report's prose states (``xxgk.extract.narrative.Fact``)."""

    @property
    def fact(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def approx(self) -> bool: ...


@cache
def constraints_of(format_id: str) -> tuple[Constraint, ...]:
    """The dictionary's error rules of a format that hold within one report, as constraints
    for splitting glued runs (customary warnings and cross-year rules may legitimately fail)."""
    out: list[Constraint] = []
    for rule in load_rules().get(format_id, ()):
        if rule.kind != "linear" or rule.severity != "error" or rule.precondition:
            continue
        for clause in rule.clauses:
            if clause.is_cross_year:
                continue
            terms = [(t.sign, t.operand) for t in clause.lhs]
            terms += [(-t.sign, t.operand) for t in clause.rhs]
            codes = tuple((s, o) for s, o in terms if isinstance(o, str))
            constant = -sum(s * o for s, o in terms if not isinstance(o, str))
            out.append(Constraint(codes, clause.comparator, constant, rule.tolerance))
    return tuple(out)


@dataclass(frozen=True)
class RowRule:
    """A dictionary error rule as it judges one reading of a row: with its null policy, so a
    blank 总计 (which many reports leave) is no violation (``xxgk.extract.blanks``)."""

    rule: Rule
    codes: frozenset[str]

    def allows(self, values: Mapping[str, float | None]) -> bool:
        """False only when the rule fails on ``values`` (None: a blank cell)."""
        keyed = {(code, False): values.get(code) for code in self.codes}
        return evaluate_rule(self.rule, keyed).outcome != "failed"


@cache
def row_rules_of(format_id: str) -> tuple[RowRule, ...]:
    """The error rules ``constraints_of`` draws on, whole (a rule with a cross-year clause
    is left out: it may hold by the other year's figures)."""
    return tuple(
        RowRule(rule, frozenset(code for clause in rule.clauses for code in clause.codes))
        for rule in load_rules().get(format_id, ())
        if rule.kind == "linear"
        and rule.severity == "error"
        and not rule.precondition
        and not rule.is_cross_year
    )


def value_type(dictionary_value_type: str) -> ValueType:
    """A metric's value type as the solver knows it (what a plausible cell looks like)."""
    if dictionary_value_type == "signed_count":
        return "signed_count"
    return "amount" if dictionary_value_type == "amount" else "count"


def stated_numbers(facts: Iterable[StatedFact], format_id: str) -> dict[str, frozenset[float]]:
    """metric code → the exact numbers the prose states for it, from the narrative facts and
    the dictionary's ``cross_check``."""
    codes = cross_check_codes(format_id)
    out: dict[str, set[float]] = {}
    for f in facts:
        for code in () if f.approx else codes.get(f.fact, ()):
            out.setdefault(code, set()).add(f.value)
    return {code: frozenset(values) for code, values in out.items()}
