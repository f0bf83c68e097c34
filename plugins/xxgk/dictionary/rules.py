"""The rule language of metrics.yaml: parse every ``rules:`` entry into linear clauses.

A dictionary rule becomes one :class:`Rule` of one of three kinds:

* ``linear`` — one or more clauses ``lhs <op> rhs`` over metric codes, numeric constants and
  ``prev(code)`` (the same agency's report of the previous year). Multi-clause rules come
  from ``a == 0 and b == 0``, ``… ; same for reg`` and ``… for X in a, b`` (or a bare ``X``
  placeholder, expanded over every value for which all codes exist). The rule fails when
  any clause fails.
* ``cell_domain`` — ``all … are integers >= 0``: every listed cell must be a non-negative
  integer.
* ``manual`` — anything else (free-text guidance): kept with the reason it cannot be
  automated.

:mod:`xxgk.dictionary.catalog` lists them with the report-level checks of the packaged
``data/report_rules.yaml`` (read here, with the texts of every outcome reason);
:mod:`xxgk.transform.rule_terms` writes that catalog into the dbt seeds the SQL evaluator reads
(``dbt_project/models/marts/quality``). The small evaluator here is the reference
implementation of the null policies (metrics.yaml ``conventions.null_policy_values``); the
tests run it on the same warehouse as the SQL and require the same outcomes.

Pure Python: no Great Expectations, no dbt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal, get_args

from xxgk.core.formats import TABLE_FORMATS, YEAR_RANGES

Outcome = Literal["passed", "failed", "not_assessable"]
OUTCOMES: Final[tuple[Outcome, ...]] = get_args(Outcome)
REPORT_RULES_FILE: Final = "data/report_rules.yaml"
"""The report-level checks and the reason texts, in the package."""
Comparator = Literal["==", "<=", ">=", "<", ">"]
RuleKind = Literal["linear", "cell_domain", "manual"]
Operand = str | float  # a metric code or a numeric constant
ValueKey = tuple[str, bool]  # (metric code, from the previous year's report)

NULL_POLICIES: Final = (
    "children_null_as_zero",
    "skip_if_any_null",
    "skip_if_parent_null",
    "blank_parent_is_violation",
    "any_present_nulls_as_zero",
)
COUNT_TOLERANCE: Final = 0.0  # counts are exact
AMOUNT_TOLERANCE: Final = 0.01  # 万元 (metrics.yaml conventions.tolerance)
FLOAT_SLACK: Final = 1e-9  # absorbs float noise on top of the tolerance
PRECONDITIONS: Final = {"agency.rule_making_power == false": "no_rule_making_power"}

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<prev>prev\s*\(\s*(?P<pcode>[a-z][a-z0-9_]*)\s*\))"
    r"|(?P<code>[a-z][a-z0-9_]*)|(?P<op>==|<=|>=|[-+<>]))"
)
_COMPARATORS: Final = frozenset({"==", "<=", ">=", "<", ">"})
_FOR_X = re.compile(r"^(?P<body>.*?)\s+for\s+X\s+in\s+(?P<values>[\w\s,]+)$")
_SAME_FOR = re.compile(r"^(?P<body>.*?)\s*;\s*same\s+for\s+(?P<value>\w+)\s*$")
_ALL_CELLS = re.compile(r"^\s*all\b\s*\(?\s*(?P<prefix>[a-z0-9_]+_)?\*?\s*(?P<what>[^)]*)\)?")


class RuleSyntaxError(ValueError):
    """An ``expr`` that is not in the rule language."""


@dataclass(frozen=True)
class Term:
    """One signed operand of a linear side: ``sign * operand`` (of the previous year if
    ``is_prev``)."""

    sign: int
    operand: Operand
    is_prev: bool = False

    @property
    def key(self) -> ValueKey | None:
        return (self.operand, self.is_prev) if isinstance(self.operand, str) else None


@dataclass(frozen=True)
class Clause:
    """``lhs <comparator> rhs``; ``label`` names the expansion (``reg``, ``license``)."""

    lhs: tuple[Term, ...]
    comparator: Comparator
    rhs: tuple[Term, ...]
    label: str = ""

    @property
    def lhs_keys(self) -> tuple[ValueKey, ...]:
        return tuple(k for t in self.lhs if (k := t.key) is not None)

    @property
    def rhs_keys(self) -> tuple[ValueKey, ...]:
        return tuple(k for t in self.rhs if (k := t.key) is not None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.lhs_keys + self.rhs_keys)

    @property
    def is_cross_year(self) -> bool:
        return any(t.is_prev for t in self.lhs + self.rhs)


@dataclass(frozen=True)
class Rule:
    """One ``rules:`` entry of metrics.yaml, parsed."""

    rule_id: str
    format_id: str
    expr: str
    kind: RuleKind
    severity: str
    basis: str
    null_policy: str
    clauses: tuple[Clause, ...] = ()
    cells: tuple[str, ...] = ()  # cell_domain: the metric codes checked
    precondition: str | None = None
    tolerance: float = COUNT_TOLERANCE
    reason: str = ""  # manual: why it is not automated
    note: str = ""

    @property
    def is_cross_year(self) -> bool:
        return any(c.is_cross_year for c in self.clauses)


@dataclass(frozen=True)
class ClauseResult:
    """The outcome of one clause (or rule) on one report, with a reason code."""

    outcome: Outcome
    reason: str
    lhs: float | None = None
    rhs: float | None = None
    difference: float | None = None


def rule_family(rule_id: str) -> str:
    """``v2019.t3.balance.natural_person`` → ``v2019.t3.balance``; short ids are their own."""
    parts = rule_id.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else rule_id


# --- parsing ------------------------------------------------------------------------------


def _tokens(expr: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = expr.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleSyntaxError(f"unexpected text at {text[pos : pos + 20]!r}")
        if m.group("prev"):
            out.append(("prev", m.group("pcode")))
        else:
            kind = m.lastgroup
            assert kind is not None
            out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _operand(kind: str, text: str, sign: int) -> Term:
    if kind == "code":
        return Term(sign, text)
    if kind == "prev":
        return Term(sign, text, is_prev=True)
    if kind == "num":
        return Term(sign, float(text))
    raise RuleSyntaxError(f"operand expected, got {text!r}")


def _side(tokens: Sequence[tuple[str, str]]) -> tuple[Term, ...]:
    """Parse ``operand (+|- operand)*`` with an optional leading sign."""
    terms: list[Term] = []
    sign = 1
    expect_operand = True
    for kind, text in tokens:
        if expect_operand and kind == "op" and text in "+-" and not terms:
            sign = -1 if text == "-" else 1
        elif expect_operand:
            terms.append(_operand(kind, text, sign))
            expect_operand = False
        elif kind == "op" and text in "+-":
            sign = -1 if text == "-" else 1
            expect_operand = True
        else:
            raise RuleSyntaxError(f"'+' or '-' expected, got {text!r}")
    if expect_operand or not terms:
        raise RuleSyntaxError("incomplete linear expression")
    return tuple(terms)


def parse_clause(expr: str, label: str = "") -> Clause:
    """Parse one linear comparison; raise :class:`RuleSyntaxError` for anything else."""
    tokens = _tokens(expr)
    ops = [i for i, (kind, text) in enumerate(tokens) if kind == "op" and text in _COMPARATORS]
    if len(ops) != 1:
        raise RuleSyntaxError(f"expected one comparison operator, found {len(ops)}")
    i = ops[0]
    comparator: Comparator = tokens[i][1]  # type: ignore[assignment]
    return Clause(_side(tokens[:i]), comparator, _side(tokens[i + 1 :]), label)


def _codes_in(expr: str) -> list[str]:
    return re.findall(r"\b[a-z][A-Za-z0-9_]*_[A-Za-z0-9_]+\b", expr)


def _x_values(body: str, known: Mapping[str, str]) -> list[str]:
    """Every value of the placeholder ``X`` for which all codes of ``body`` exist."""
    pattern = re.compile(
        "^"
        + re.escape(next(c for c in _codes_in(body) if "_X_" in c)).replace("X", "(\\w+?)")
        + "$"
    )
    candidates = sorted({m.group(1) for code in known if (m := pattern.match(code))})
    return [x for x in candidates if all(c in known for c in _codes_in(body.replace("X", x)))]


def _substitution(body: str, value: str, known: Mapping[str, str]) -> str:
    """``… ; same for reg``: replace one code segment so that every code exists."""
    codes = _codes_in(body)
    for segment in sorted({part for code in codes for part in code.split("_")}):
        swapped = re.sub(rf"_{segment}_", f"_{value}_", body)
        if swapped != body and all(c in known for c in _codes_in(swapped)):
            return swapped
    raise RuleSyntaxError(f"no code segment can be replaced by {value!r}")


def _expansions(expr: str, known: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(label, clause text)`` pairs of one expr (templates and ``and`` expanded)."""
    if m := _FOR_X.match(expr.strip()):
        body = m.group("body").strip()
        values = [v.strip() for v in m.group("values").split(",") if v.strip()]
        parts = [(v, body.replace("X", v)) for v in values]
    elif re.search(r"_X_", expr):
        parts = [(x, expr.replace("X", x)) for x in _x_values(expr, known)]
    elif m := _SAME_FOR.match(expr):
        body = m.group("body").strip()
        first = next((s for s in _codes_in(body)[0].split("_")[2:3]), "")
        parts = [(first, body), (m.group("value"), _substitution(body, m.group("value"), known))]
    else:
        parts = [("", expr)]
    out: list[tuple[str, str]] = []
    for label, text in parts:
        pieces = [p.strip() for p in re.split(r"\band\b", text)]
        out += [
            (label if len(pieces) == 1 else (label + "." if label else "") + str(i), p)
            for i, p in enumerate(pieces, start=1)
        ]
    return out


def _cell_scope(expr: str, value_types: Mapping[str, str]) -> tuple[str, ...] | None:
    m = _ALL_CELLS.match(expr)
    if m is None:
        return None
    prefix = m.group("prefix") or ""
    count_only = "count" in (m.group("what") or "") or not prefix
    return tuple(
        code
        for code, value_type in value_types.items()
        if code.startswith(prefix) and (value_type == "count" or not count_only)
    )


def _tolerance(codes: Sequence[str], value_types: Mapping[str, str]) -> float:
    return (
        AMOUNT_TOLERANCE
        if any(value_types.get(c) == "amount" for c in codes)
        else (COUNT_TOLERANCE)
    )


def parse_rule(raw: Mapping[str, Any], format_id: str, value_types: Mapping[str, str]) -> Rule:
    """One ``rules:`` entry of metrics.yaml → a :class:`Rule` (``manual`` when not automatable).

    Args:
        raw: the rule mapping (``id``, ``expr``, ``severity``, ``null_policy``, ``when``, ...).
        format_id: the format whose ``rules:`` list holds it.
        value_types: metric code → value_type of that format, in dictionary order.
    """
    expr = str(raw["expr"])
    base = Rule(
        rule_id=str(raw["id"]),
        format_id=format_id,
        expr=expr,
        kind="manual",
        severity=str(raw.get("severity", "error")),
        basis=str(raw.get("basis") or ""),
        null_policy=str(raw.get("null_policy") or ""),
        note=" ".join(str(raw.get("note") or "").split()),
    )
    when = raw.get("when")
    precondition = PRECONDITIONS.get(str(when)) if when else None
    if when and precondition is None:
        return _manual(base, f"metadata precondition not available (when: {when})")
    if base.null_policy not in NULL_POLICIES:
        return _manual(base, f"unknown null_policy {base.null_policy!r}")
    cells = _cell_scope(expr, value_types)
    if cells is not None:
        return Rule(**{**base.__dict__, "kind": "cell_domain", "cells": cells})
    try:
        clauses = tuple(parse_clause(text, label) for label, text in _expansions(expr, value_types))
    except (RuleSyntaxError, StopIteration) as exc:
        return _manual(base, f"free text, not a linear comparison ({exc or 'no code'})")
    codes = [code for clause in clauses for code in clause.codes]
    unknown = sorted({c for c in codes if c not in value_types})
    if unknown or not codes:
        return _manual(base, "unknown metric code(s): " + (", ".join(unknown) or "none"))
    return Rule(
        **{
            **base.__dict__,
            "kind": "linear",
            "clauses": clauses,
            "precondition": precondition,
            "tolerance": _tolerance(codes, value_types),
        }
    )


def _manual(rule: Rule, reason: str) -> Rule:
    return Rule(**{**rule.__dict__, "kind": "manual", "reason": reason})


def load_rules(dictionary: Mapping[str, Any] | None = None) -> dict[str, tuple[Rule, ...]]:
    """Every ``rules:`` entry of every format, parsed, in dictionary order.

    Args:
        dictionary: the parsed metrics.yaml; the packaged one when ``None``.
    """
    if dictionary is None:
        from xxgk.dictionary.metrics import raw_dictionary

        dictionary = raw_dictionary()
    out: dict[str, tuple[Rule, ...]] = {}
    for fmt in dictionary["formats"]:
        format_id = str(fmt["id"])
        value_types = {
            str(m["code"]): str(m.get("value_type") or "count") for m in fmt.get("metrics") or []
        }
        out[format_id] = tuple(
            parse_rule(raw, format_id, value_types) for raw in fmt.get("rules") or []
        )
    return out


# --- reference evaluation (the SQL models implement the same decisions) --------------------


def _side_value(terms: Sequence[Term], values: Mapping[ValueKey, float | None]) -> float:
    """Sum of a side with blanks as 0 (the null policy decided beforehand that it may)."""
    total = 0.0
    for t in terms:
        v = t.operand if isinstance(t.operand, float) else values.get((t.operand, t.is_prev))
        total += t.sign * (v or 0.0)
    return total


def holds(difference: float, comparator: str, tolerance: float) -> bool:
    """Whether ``lhs - rhs = difference`` satisfies the comparator within the tolerance."""
    slack = tolerance + FLOAT_SLACK
    if comparator == "==":
        return abs(difference) <= slack
    if comparator == "<=":
        return difference <= slack
    if comparator == ">=":
        return difference >= -slack
    if comparator == "<":
        return difference < -FLOAT_SLACK
    return difference > FLOAT_SLACK


def _count_present(keys: Sequence[ValueKey], values: Mapping[ValueKey, float | None]) -> int:
    return sum(values.get(k) is not None for k in keys)


def _blocked(clause: Clause, policy: str, values: Mapping[ValueKey, float | None]) -> str | None:
    """The reason code why the null policy forbids evaluating the clause, or ``None``."""
    lhs_n, rhs_n = len(clause.lhs_keys), len(clause.rhs_keys)
    lhs_p, rhs_p = _count_present(clause.lhs_keys, values), _count_present(clause.rhs_keys, values)
    if lhs_p + rhs_p == 0:
        return "all_blank"
    if policy == "skip_if_any_null" and lhs_p + rhs_p < lhs_n + rhs_n:
        return "operand_blank"
    if policy in ("skip_if_parent_null", "children_null_as_zero") and lhs_p < lhs_n:
        return "total_blank"
    if policy == "children_null_as_zero" and rhs_n and not rhs_p:
        return "components_blank"
    return None


def _blank_parent(
    clause: Clause, tolerance: float, values: Mapping[ValueKey, float | None]
) -> ClauseResult | None:
    """``blank_parent_is_violation``: the parent is the larger side (rhs of ``<=``/``<``)."""
    parent_is_rhs = clause.comparator in ("<=", "<")
    parent_keys = clause.rhs_keys if parent_is_rhs else clause.lhs_keys
    subset_keys = clause.lhs_keys if parent_is_rhs else clause.rhs_keys
    if not _count_present(subset_keys, values):
        return ClauseResult("not_assessable", "subset_blank")
    if _count_present(parent_keys, values):
        return None
    sub = _side_value(clause.lhs if parent_is_rhs else clause.rhs, values)
    lhs, rhs = (sub, None) if parent_is_rhs else (None, sub)
    if sub > tolerance + FLOAT_SLACK:
        return ClauseResult("failed", "parent_blank", lhs, rhs)
    return ClauseResult("not_assessable", "parent_blank_subset_zero", lhs, rhs)


def evaluate_clause(
    clause: Clause, policy: str, tolerance: float, values: Mapping[ValueKey, float | None]
) -> ClauseResult:
    """One clause on one report's values (``(code, is_prev)`` → value, ``None`` = blank)."""
    blocked = _blocked(clause, policy, values)
    if blocked is not None:
        return ClauseResult("not_assessable", blocked)
    if policy == "blank_parent_is_violation":
        decided = _blank_parent(clause, tolerance, values)
        if decided is not None:
            return decided
    lhs, rhs = _side_value(clause.lhs, values), _side_value(clause.rhs, values)
    difference = lhs - rhs
    if holds(difference, clause.comparator, tolerance):
        return ClauseResult("passed", "holds", lhs, rhs, difference)
    return ClauseResult("failed", "does_not_hold", lhs, rhs, difference)


def evaluate_rule(
    rule: Rule,
    values: Mapping[ValueKey, float | None],
    *,
    has_previous: bool = True,
    precondition_met: bool | None = True,
) -> ClauseResult:
    """A linear rule on one report: failed if a clause fails, passed if one passes.

    The decisive clause (first failed, else first passed, else first) gives the numbers.
    """
    if rule.kind != "linear":
        return ClauseResult("not_assessable", "not_automatable")
    if rule.precondition is not None and precondition_met is not True:
        reason = "precondition_unknown" if precondition_met is None else "precondition_not_met"
        return ClauseResult("not_assessable", reason)
    if rule.is_cross_year and not has_previous:
        return ClauseResult("not_assessable", "no_previous_report")
    results = [evaluate_clause(c, rule.null_policy, rule.tolerance, values) for c in rule.clauses]
    for outcome in ("failed", "passed"):
        for result in results:
            if result.outcome == outcome:
                return result
    return results[0]


# --- report-level checks and reason texts (packaged data/report_rules.yaml) ----------------


@dataclass(frozen=True)
class ReportRule:
    """A report-level check evaluated by the quality models (its metadata, not its cells)."""

    rule_id: str
    category: str
    kind: str
    severity: str
    automation: str
    title_zh: str
    title_en: str
    note: str


@dataclass(frozen=True)
class Reason:
    """What an outcome reason code means: the outcome it gives and its texts."""

    outcome: Outcome
    zh: str
    en: str


@lru_cache(maxsize=1)
def _report_rules_doc() -> dict[str, Any]:
    import yaml

    text = resources.files("xxgk").joinpath(REPORT_RULES_FILE).read_text(encoding="utf-8")
    doc: dict[str, Any] = yaml.safe_load(text)
    return doc


def _template_years(names: Mapping[str, str]) -> dict[str, str]:
    """The report years of each table format (``旧表≤2018，2019版2019–2020，2021版≥2021``)."""
    if set(names) != set(TABLE_FORMATS):
        raise ValueError(f"{REPORT_RULES_FILE}: template_names_zh must name {TABLE_FORMATS}")
    zh: list[str] = []
    en: list[str] = []
    for i, fmt in enumerate(TABLE_FORMATS):
        first, last = YEAR_RANGES[fmt]
        if last is None:
            zh.append(f"{names[fmt]}≥{first}")
            en.append(f"{fmt} >= {first}")
        elif i == 0:
            zh.append(f"{names[fmt]}≤{last}")
            en.append(f"{fmt} <= {last}")
        else:
            zh.append(f"{names[fmt]}{first}–{last}")
            en.append(f"{fmt} {first}-{last}")
    return {"template_years_zh": "，".join(zh), "template_years_en": ", ".join(en)}


@lru_cache(maxsize=1)
def report_rules() -> tuple[ReportRule, ...]:
    """The report-level checks, in the data file's order."""
    doc = _report_rules_doc()
    years = _template_years(doc["template_names_zh"])
    out = []
    for raw in doc["report_rules"]:
        values = {k: str(v) for k, v in raw.items()}
        for key in ("title_zh", "title_en"):
            values[key] = values[key].format(**years)
        out.append(ReportRule(**values))
    return tuple(out)


@lru_cache(maxsize=1)
def reasons() -> dict[str, Reason]:
    """Reason code → its outcome and texts, in the data file's order."""
    out: dict[str, Reason] = {}
    for code, raw in _report_rules_doc()["reasons"].items():
        if raw["outcome"] not in OUTCOMES:
            raise ValueError(f"{REPORT_RULES_FILE}: reason {code} has outcome {raw['outcome']!r}")
        out[str(code)] = Reason(raw["outcome"], str(raw["zh"]), str(raw["en"]))
    return out
