"""Consistency rules of metrics.yaml, parsed and evaluated per report.

Only rules whose ``expr`` is a linear comparison over metric codes (and numeric constants)
are automated here::

    code (+|- code)* (==|<=|>=|<|>) code (+|- code)*

Rules that need the previous year (``prev()``), a metadata precondition (``when``), a
template expansion (``all …``, ``for X in …``), a conjunction (``and``) or other free text
are returned by :func:`load_rules` as :class:`SkippedRule` with a reason, so they can be
counted and automated later. Blanks are ``None`` and are handled by each rule's
``null_policy`` (metrics.yaml ``conventions.null_policy_values``), never coerced at load time.

Pure Python: no Great Expectations import.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

logger = logging.getLogger(__name__)

Outcome = Literal["passed", "failed", "not_assessable"]
Comparator = Literal["==", "<=", ">=", "<", ">"]
Operand = str | float  # a metric code or a numeric constant

NULL_POLICIES: Final = (
    "children_null_as_zero",
    "skip_if_any_null",
    "skip_if_parent_null",
    "blank_parent_is_violation",
    "any_present_nulls_as_zero",
)
RULE_FORMATS: Final = ("old", "v2019", "v2021")
COMPANION_SUFFIX: Final = "parent_blank_children_present"
COUNT_TOLERANCE: Final = 1e-9  # counts are exact; this only absorbs float noise
AMOUNT_TOLERANCE: Final = 0.01  # 万元 (metrics.yaml conventions.tolerance)
RESULT_COLUMNS: Final = (
    "report_key",
    "format_id",
    "rule_id",
    "rule_family",
    "outcome",
    "severity",
    "lhs",
    "rhs",
    "difference",
    "message",
)

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<code>[a-z][a-z0-9_]*)|(?P<op>==|<=|>=|[-+<>]))"
)
_COMPARATORS: Final = frozenset({"==", "<=", ">=", "<", ">"})
_SKIP_PATTERNS: Final = (
    (re.compile(r"\bprev\s*\("), "cross-year: uses prev()"),
    (
        re.compile(r"^\s*all\b"),
        "rule family over all cells ('all ...'); the count cells are "
        "covered by the fct_report_cells suite",
    ),
    (re.compile(r"\bfor\s+\w+\s+in\b"), "template expansion ('for X in ...')"),
    (re.compile(r"\band\b"), "conjunction ('and')"),
    (re.compile(r"_X_|\bX\b"), "template placeholder X without an expansion list"),
)


@dataclass(frozen=True)
class Term:
    """One signed operand of a linear side: ``sign * operand``."""

    sign: int
    operand: Operand


@dataclass(frozen=True)
class Rule:
    """An automatable rule: ``lhs <op> rhs`` over one report's metric values."""

    rule_id: str
    format_id: str
    family: str
    expr: str
    lhs: tuple[Term, ...]
    comparator: Comparator
    rhs: tuple[Term, ...]
    severity: str
    null_policy: str
    basis: str
    tolerance: float = COUNT_TOLERANCE

    @property
    def lhs_codes(self) -> tuple[str, ...]:
        return tuple(t.operand for t in self.lhs if isinstance(t.operand, str))

    @property
    def rhs_codes(self) -> tuple[str, ...]:
        return tuple(t.operand for t in self.rhs if isinstance(t.operand, str))

    @property
    def codes(self) -> tuple[str, ...]:
        return self.lhs_codes + self.rhs_codes


@dataclass(frozen=True)
class SkippedRule:
    """A rule of metrics.yaml that is not yet automated, and why."""

    rule_id: str
    format_id: str
    expr: str
    severity: str
    reason: str


@dataclass(frozen=True)
class RuleResult:
    """The outcome of one rule on one report."""

    rule_id: str
    family: str
    outcome: Outcome
    severity: str
    lhs: float | None
    rhs: float | None
    difference: float | None
    message: str


@dataclass(frozen=True)
class RuleSet:
    """All rules of the dictionary: automatable ones per format, and the skipped ones."""

    rules: Mapping[str, tuple[Rule, ...]]
    skipped: tuple[SkippedRule, ...]

    def families(self) -> dict[str, tuple[Rule, ...]]:
        """Rule family → its rules, in dictionary order (companion families not included)."""
        out: dict[str, list[Rule]] = {}
        for fmt in RULE_FORMATS:
            for rule in self.rules.get(fmt, ()):
                out.setdefault(rule.family, []).append(rule)
        return {k: tuple(v) for k, v in out.items()}

    def companion_families(self) -> tuple[str, ...]:
        """Families of the ``parent_blank_children_present`` flags, one per format that has any."""
        return tuple(
            companion_family(fmt)
            for fmt in RULE_FORMATS
            if any(r.null_policy == "children_null_as_zero" for r in self.rules.get(fmt, ()))
        )


def rule_family(rule_id: str) -> str:
    """``v2019.t3.balance.natural_person`` → ``v2019.t3.balance``; short ids are their own."""
    parts = rule_id.split(".")
    return ".".join(parts[:3]) if len(parts) > 3 else rule_id


def companion_family(format_id: str) -> str:
    """Family of the ``parent_blank_children_present`` flags of one format."""
    return f"{format_id}.{COMPANION_SUFFIX}"


class _Unparseable(ValueError):
    pass


def _tokens(expr: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = expr.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _Unparseable(f"unexpected text at {text[pos : pos + 20]!r}")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _side(tokens: Sequence[tuple[str, str]]) -> tuple[Term, ...]:
    """Parse ``operand (+|- operand)*`` with an optional leading sign."""
    terms: list[Term] = []
    sign = 1
    expect_operand = True
    for kind, text in tokens:
        if expect_operand and kind == "op" and text in "+-" and not terms:
            sign = -1 if text == "-" else 1
            continue
        if expect_operand:
            if kind == "code":
                terms.append(Term(sign, text))
            elif kind == "num":
                terms.append(Term(sign, float(text)))
            else:
                raise _Unparseable(f"operand expected, got {text!r}")
            expect_operand = False
        elif kind == "op" and text in "+-":
            sign = -1 if text == "-" else 1
            expect_operand = True
        else:
            raise _Unparseable(f"'+' or '-' expected, got {text!r}")
    if expect_operand or not terms:
        raise _Unparseable("incomplete linear expression")
    return tuple(terms)


def parse_expr(expr: str) -> tuple[tuple[Term, ...], Comparator, tuple[Term, ...]]:
    """Parse a linear comparison; raise ``ValueError`` when ``expr`` is anything else."""
    tokens = _tokens(expr)
    ops = [i for i, (kind, text) in enumerate(tokens) if kind == "op" and text in _COMPARATORS]
    if len(ops) != 1:
        raise _Unparseable(f"expected one comparison operator, found {len(ops)}")
    i = ops[0]
    comparator: Comparator = tokens[i][1]  # type: ignore[assignment]
    return _side(tokens[:i]), comparator, _side(tokens[i + 1 :])


def _skip_reason(raw: Mapping[str, Any]) -> str | None:
    if raw.get("when"):
        return f"metadata precondition (when: {raw['when']})"
    expr = str(raw.get("expr", ""))
    for pattern, reason in _SKIP_PATTERNS:
        if pattern.search(expr):
            return reason
    if raw.get("null_policy") not in NULL_POLICIES:
        return f"unknown null_policy {raw.get('null_policy')!r}"
    return None


def _tolerance(codes: Iterable[str], value_types: Mapping[str, str]) -> float:
    if any(value_types.get(c) == "amount" for c in codes):
        return AMOUNT_TOLERANCE
    return COUNT_TOLERANCE


def parse_rule(
    raw: Mapping[str, Any], format_id: str, value_types: Mapping[str, str]
) -> Rule | SkippedRule:
    """One ``rules:`` entry of metrics.yaml → a :class:`Rule`, or a :class:`SkippedRule`.

    Args:
        raw: the rule mapping (``id``, ``expr``, ``severity``, ``null_policy``, ...).
        format_id: the format whose ``rules:`` list holds it.
        value_types: metric code → value_type of that format; codes not in it are unknown.
    """
    rule_id, expr = str(raw["id"]), str(raw["expr"])
    severity = str(raw.get("severity", "error"))

    def skipped(reason: str) -> SkippedRule:
        return SkippedRule(rule_id, format_id, expr, severity, reason)

    reason = _skip_reason(raw)
    if reason is not None:
        return skipped(reason)
    try:
        lhs, comparator, rhs = parse_expr(expr)
    except ValueError as exc:
        return skipped(f"free text, not a linear comparison ({exc})")
    rule = Rule(
        rule_id=rule_id,
        format_id=format_id,
        family=rule_family(rule_id),
        expr=expr,
        lhs=lhs,
        comparator=comparator,
        rhs=rhs,
        severity=severity,
        null_policy=str(raw["null_policy"]),
        basis=str(raw.get("basis", "")),
    )
    unknown = [c for c in rule.codes if c not in value_types]
    if unknown:
        return skipped("unknown metric code(s): " + ", ".join(unknown))
    if not rule.codes:
        return skipped("no metric code in the expression")
    return replace(rule, tolerance=_tolerance(rule.codes, value_types))


def load_rules(dictionary: Mapping[str, Any] | None = None) -> RuleSet:
    """Parse the ``rules:`` of every format of metrics.yaml.

    Args:
        dictionary: the parsed metrics.yaml; the packaged one when ``None``.

    Returns:
        The automatable rules per format and the skipped ones, in dictionary order.
    """
    if dictionary is None:
        from xxgk.dictionary import raw_dictionary

        dictionary = raw_dictionary()
    rules: dict[str, tuple[Rule, ...]] = {}
    skipped: list[SkippedRule] = []
    for fmt in dictionary["formats"]:
        format_id = str(fmt["id"])
        value_types = {
            str(m["code"]): str(m.get("value_type") or "count") for m in fmt.get("metrics") or []
        }
        parsed: list[Rule] = []
        for raw in fmt.get("rules") or []:
            rule = parse_rule(raw, format_id, value_types)
            if isinstance(rule, Rule):
                parsed.append(rule)
            else:
                skipped.append(rule)
        rules[format_id] = tuple(parsed)
    return RuleSet(rules=rules, skipped=tuple(skipped))


# --- evaluation -------------------------------------------------------------------------


def _side_value(terms: Sequence[Term], values: Mapping[str, float | None]) -> float:
    """Sum of a side with blanks as 0 (the policies decide beforehand whether that is allowed)."""
    total = 0.0
    for t in terms:
        v = t.operand if isinstance(t.operand, float) else values.get(t.operand)
        total += t.sign * (v or 0.0)
    return total


def _holds(difference: float, comparator: Comparator, tolerance: float) -> bool:
    if comparator == "==":
        return abs(difference) <= tolerance
    if comparator == "<=":
        return difference <= tolerance
    if comparator == ">=":
        return difference >= -tolerance
    if comparator == "<":
        return difference < 0
    return difference > 0


def _fmt(v: float | None) -> str:
    if v is None:
        return "blank"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _present(codes: Iterable[str], values: Mapping[str, float | None]) -> list[str]:
    return [c for c in codes if values.get(c) is not None]


def _blocked(rule: Rule, values: Mapping[str, float | None]) -> str | None:
    """Why the rule's null policy forbids evaluating it on these values, or ``None``."""
    lhs_present = _present(rule.lhs_codes, values)
    rhs_present = _present(rule.rhs_codes, values)
    policy = rule.null_policy
    if not lhs_present and not rhs_present:
        return "all operands blank"
    if policy == "skip_if_any_null":
        if len(lhs_present) + len(rhs_present) < len(rule.codes):
            return "an operand is blank (skip_if_any_null)"
    elif policy == "skip_if_parent_null":
        if len(lhs_present) < len(rule.lhs_codes):
            return "left-hand side blank (skip_if_parent_null)"
    elif policy == "children_null_as_zero":
        if len(lhs_present) < len(rule.lhs_codes):
            return "left-hand side blank (children_null_as_zero)"
        if rule.rhs_codes and not rhs_present:
            return "every right-hand operand blank (children_null_as_zero)"
    return None


def _parent_side(rule: Rule) -> tuple[Term, ...]:
    """For 其中 rules the parent is the larger side: rhs of ``<=``/``<``, else lhs."""
    return rule.rhs if rule.comparator in ("<=", "<") else rule.lhs


def _blank_parent(rule: Rule, values: Mapping[str, float | None]) -> RuleResult | None:
    """``blank_parent_is_violation``: decide the cases with a blank parent or blank subset."""
    parent = _parent_side(rule)
    subset = rule.lhs if parent is rule.rhs else rule.rhs
    parent_codes = [t.operand for t in parent if isinstance(t.operand, str)]
    subset_codes = [t.operand for t in subset if isinstance(t.operand, str)]
    if not _present(subset_codes, values):
        return _result(rule, "not_assessable", None, None, "subset blank")
    if _present(parent_codes, values):
        return None
    sub = _side_value(subset, values)
    lhs, rhs = (sub, None) if subset is rule.lhs else (None, sub)
    if sub > rule.tolerance:
        return _result(rule, "failed", lhs, rhs, f"parent blank while subset = {_fmt(sub)}")
    return _result(rule, "not_assessable", lhs, rhs, "parent blank, subset not positive")


def _result(
    rule: Rule,
    outcome: Outcome,
    lhs: float | None,
    rhs: float | None,
    message: str,
    difference: float | None = None,
) -> RuleResult:
    return RuleResult(
        rule.rule_id, rule.family, outcome, rule.severity, lhs, rhs, difference, message
    )


def evaluate_rule(rule: Rule, values: Mapping[str, float | None]) -> RuleResult:
    """Evaluate one rule on one report's values (metric code → value, ``None`` = blank)."""
    blocked = _blocked(rule, values)
    if blocked is not None:
        return _result(rule, "not_assessable", None, None, blocked)
    if rule.null_policy == "blank_parent_is_violation":
        decided = _blank_parent(rule, values)
        if decided is not None:
            return decided
    lhs, rhs = _side_value(rule.lhs, values), _side_value(rule.rhs, values)
    difference = lhs - rhs
    ok = _holds(difference, rule.comparator, rule.tolerance)
    relation = f"{_fmt(lhs)} {rule.comparator} {_fmt(rhs)}"
    if ok:
        return _result(rule, "passed", lhs, rhs, relation, difference)
    return _result(
        rule,
        "failed",
        lhs,
        rhs,
        f"{relation} does not hold (difference {_fmt(difference)})",
        difference,
    )


def evaluate_companion(rule: Rule, values: Mapping[str, float | None]) -> RuleResult:
    """``children_null_as_zero`` companion flag: a blank total with a positive component."""
    rule_id = f"{rule.rule_id}.{COMPANION_SUFFIX}"
    family = companion_family(rule.format_id)
    parent_blank = not _present(rule.lhs_codes, values)
    positive = [c for c in rule.rhs_codes if (values.get(c) or 0.0) > 0]
    if parent_blank and positive:
        children = _side_value(rule.rhs, values)
        detail = ", ".join(f"{c} = {_fmt(values.get(c))}" for c in positive)
        return RuleResult(
            rule_id,
            family,
            "failed",
            "warning",
            None,
            children,
            None,
            f"total blank while components are present ({detail})",
        )
    message = "total present" if not parent_blank else "no positive component"
    return RuleResult(rule_id, family, "passed", "warning", None, None, None, message)


def evaluate_report(
    rules: Iterable[Rule], values: Mapping[str, float | None]
) -> Iterator[RuleResult]:
    """Every rule (and each ``children_null_as_zero`` companion flag) on one report."""
    for rule in rules:
        yield evaluate_rule(rule, values)
        if rule.null_policy == "children_null_as_zero":
            yield evaluate_companion(rule, values)


_REPORT_VALUES_SQL: Final = """
select
    r.report_key,
    r.format as format_id,
    c.metric_code,
    first(c.value order by c.value is null, c.cell_no) as value
from main.dim_reports as r
left join main.fct_report_cells as c
    on c.report_key = r.report_key
    and c.is_current_report
    and c.metric_code is not null
where r.is_current and r.format in ('old', 'v2019', 'v2021')
group by all
order by r.report_key
"""


def _report_values(
    rows: Iterable[tuple[str, str, str | None, float | None]],
) -> Iterator[tuple[str, str, dict[str, float | None]]]:
    """Group ``(report_key, format, code, value)`` rows (sorted by report) per report."""
    current: tuple[str, str] | None = None
    values: dict[str, float | None] = {}
    for report_key, format_id, code, value in rows:
        if current is not None and current[0] != report_key:
            yield current[0], current[1], values
            values = {}
        current = (report_key, format_id)
        if code is not None:
            values[code] = None if value is None else float(value)
    if current is not None:
        yield current[0], current[1], values


def results_frame(records: Iterable[tuple[str, str, RuleResult]]) -> pd.DataFrame:
    """``(report_key, format_id, RuleResult)`` records → the rule-results DataFrame."""
    import pandas as pd

    data = [(key, fmt, *astuple(r)) for key, fmt, r in records]
    frame = pd.DataFrame.from_records(data, columns=list(RESULT_COLUMNS))
    numeric = ("lhs", "rhs", "difference")
    return frame.astype({c: "float64" if c in numeric else "object" for c in RESULT_COLUMNS})


def _fetch_rows(
    con: duckdb.DuckDBPyConnection, batch_size: int = 100_000
) -> Iterator[tuple[str, str, str | None, float | None]]:
    """Stream the per-report values instead of materialising every cell at once."""
    cursor = con.execute(_REPORT_VALUES_SQL)
    while batch := cursor.fetchmany(batch_size):
        yield from batch


def evaluate_warehouse(
    con: duckdb.DuckDBPyConnection, rule_set: RuleSet | None = None
) -> pd.DataFrame:
    """Evaluate every automatable rule on every current report of the warehouse.

    Args:
        con: a (read-only) connection to a warehouse with ``main.dim_reports`` and
            ``main.fct_report_cells``.
        rule_set: the rules to apply; those of the packaged metrics.yaml when ``None``.

    Returns:
        One row per (report, rule) with the columns of ``RESULT_COLUMNS``; the report's
        ``format`` decides which format's rules apply.
    """
    rule_set = rule_set or load_rules()
    records: list[tuple[str, str, RuleResult]] = []
    for report_key, format_id, values in _report_values(_fetch_rows(con)):
        for result in evaluate_report(rule_set.rules.get(format_id, ()), values):
            records.append((report_key, format_id, result))
    logger.info("evaluated %d rule results over the current reports", len(records))
    return results_frame(records)
