"""The rule catalog: every rule of the dictionary as one row, with its operands.

The dictionary's ``rules:`` (every one, also the ones that cannot be automated), one
narrative-vs-table rule per ``narrative_facts`` entry and format of its ``cross_check``, a
``parent_blank_children_present`` flag per format, and the report-level checks of the
packaged ``data/report_rules.yaml`` (publication date, statistics period, template, blank
tables, agency name, narrative internal sums, percentages).

Each rule says whether it is ``automatic`` (decided by the data under its null policy),
a ``hint`` for a human (heuristic: narrative numbers, inferred metadata) or
``not_automatable`` (with the reason). :mod:`xxgk.transform.rule_terms` writes the catalog
into the dbt seeds; the quality suites and ``xxgk rules`` read it here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from xxgk.dictionary import rules
from xxgk.dictionary.rules import Clause, Rule, Term

ANY_FORMAT: Final = "any"
AUTOMATIONS: Final = ("automatic", "hint", "not_automatable")

_T3_COLUMNS_ZH: Final = {
    "natural_person": "自然人",
    "org_commercial": "商业企业",
    "org_research": "科研机构",
    "org_social_welfare": "社会公益组织",
    "org_legal_service": "法律服务机构",
    "org_other": "其他法人",
    "org_subtotal": "法人小计",
    "total": "总计",
}
_FACTS_ZH: Final = {
    "active_items": "主动公开信息条数",
    "website_items": "网站公开信息条数",
    "weibo_items": "政务微博信息条数",
    "wechat_items": "政务微信信息条数",
    "applications_received": "收到申请数",
    "no_applications": "未收到申请",
    "policy_interpretations": "政策解读篇数",
    "press_conferences": "新闻发布会次数",
    "staff": "工作人员数",
    "training": "培训次数或人次",
    "info_processing_fee": "信息处理费",
    "no_fees": "未收取费用",
}
# narrative_facts whose pattern yields several facts: the extractor names them apart
# (xxgk.extract.narrative: groups ft/pt/pt2), paired in order with the cross_check codes.
_FACT_SPLITS: Final = {"staff": ("staff_fulltime", "staff_parttime")}


@dataclass(frozen=True)
class CatalogRow:
    """One row of ``rule_catalog.csv``."""

    rule_id: str
    rule_family: str
    format_id: str
    rule_kind: str
    rule_category: str
    severity: str
    basis: str
    null_policy: str
    precondition: str
    automation: str
    is_automatic: bool
    is_cross_year: bool
    tolerance: float
    clause_count: int
    source: str
    title_zh: str
    title_en: str
    expression: str
    note: str
    automation_note: str


@dataclass(frozen=True)
class TermRow:
    """One row of ``rule_terms.csv``: one operand of one clause of one rule."""

    rule_id: str
    clause_no: int
    clause_label: str
    comparator: str
    side: str  # lhs | rhs | cell | fact
    term_no: int
    metric_code: str
    fact: str
    coefficient: float
    is_prev: bool


# --- labels -------------------------------------------------------------------------------


def short_labels(dictionary: Mapping[str, Any]) -> dict[str, str]:
    """Metric code → a short Chinese label (row and column where the table has columns)."""
    out: dict[str, str] = {}
    for fmt in dictionary["formats"]:
        for m in fmt.get("metrics") or []:
            path = [str(x) for x in m["label_path"]]
            code = str(m["code"])
            if code.startswith("t3_"):
                row = path[path.index("申请人情况") - 1] if "申请人情况" in path else path[-2]
                label = f"{row}（{_T3_COLUMNS_ZH.get(str(m.get('column_key')), path[-1])}）"
            elif code.startswith(("t4_", "v19_t2_", "v21_t2_")):
                label = "·".join(path[-2:])
            else:
                label = path[-1]
            out.setdefault(code, label)
    return out


def _term_zh(term: Term, labels: Mapping[str, str]) -> str:
    if isinstance(term.operand, float):
        return f"{term.operand:g}"
    label = f"「{labels.get(term.operand, term.operand)}」"
    return f"上年{label}" if term.is_prev else label


def _side_zh(terms: Sequence[Term], labels: Mapping[str, str]) -> str:
    parts = [("−" if t.sign < 0 else "+", _term_zh(t, labels)) for t in terms]
    if len(parts) > 4:
        return f"{parts[0][1]}、{parts[1][1]}等{len(parts)}项之和"
    text = " ".join(f"{sign} {label}" for sign, label in parts)
    return text[2:] if text.startswith("+ ") else text


def _side_en(terms: Sequence[Term]) -> str:
    names = [
        f"{t.operand:g}"
        if isinstance(t.operand, float)
        else (f"prev({t.operand})" if t.is_prev else t.operand)
        for t in terms
    ]
    if len(names) > 4:
        return f"sum of {len(names)} items ({names[0]} … {names[-1]})"
    text = " ".join(f"{'-' if t.sign < 0 else '+'} {n}" for t, n in zip(terms, names, strict=True))
    return text[2:] if text.startswith("+ ") else text


_SYMBOL_ZH: Final = {"==": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def clause_titles(clauses: Sequence[Clause], labels: Mapping[str, str]) -> tuple[str, str]:
    """Chinese and English one-line renderings of a rule's clauses."""
    zh = [
        f"{_side_zh(c.lhs, labels)} {_SYMBOL_ZH[c.comparator]} {_side_zh(c.rhs, labels)}"
        for c in clauses
    ]
    en = [f"{_side_en(c.lhs)} {c.comparator} {_side_en(c.rhs)}" for c in clauses]
    more_zh = f"（等{len(zh)}组）" if len(zh) > 3 else ""
    more_en = f" (and {len(en) - 3} more)" if len(en) > 3 else ""
    return "；".join(zh[:3]) + more_zh, "; ".join(en[:3]) + more_en


# --- dictionary rules ---------------------------------------------------------------------


def rule_category(rule: Rule) -> str:
    """The family of checks a dictionary rule belongs to (for counts and charts)."""
    rid = rule.rule_id
    for marker, category in (
        (".t3.balance.", "t3_balance"),
        (".t3.results_total.", "t3_results_total"),
        (".t3.row_total.", "t3_applicant_columns"),
        (".t4.", "t4_sums"),
    ):
        if marker in rid and rule.kind == "linear":
            return "cross_year" if rule.is_cross_year else category
    if rule.kind == "cell_domain":
        return "nonnegative_integers"
    if rule.kind == "manual":
        return "guidance"
    if rule.is_cross_year:
        return "cross_year"
    if rule.precondition:
        return "rule_making_power"
    first = rule.clauses[0]
    if rule.null_policy == "blank_parent_is_violation" or (
        rule.basis == "label_implied" and first.comparator == "<=" and len(first.rhs) == 1
    ):
        return "subset"
    if rule.severity == "error" and first.comparator == "==" and len(first.rhs) > 1:
        return "sum_of_items"
    return "label_implied" if rule.severity == "error" else "customary"


def _automation(rule: Rule) -> tuple[str, str]:
    if rule.kind == "manual":
        note = rule.reason
        if rule.rule_id.endswith("transition_not_comparable"):
            note = (
                "guidance, not a check: the in_force chain only reads prev(v21_*) cells, so "
                "a 2020 v2019 report never feeds it (" + rule.reason + ")"
            )
        return "not_automatable", note
    if rule.precondition:
        return "hint", (
            "rule-making power (规章) is inferred from body type and administrative "
            "level; unknown → not assessable"
        )
    return "automatic", ""


def _dictionary_row(rule: Rule, labels: Mapping[str, str]) -> CatalogRow:
    automation, automation_note = _automation(rule)
    if rule.kind == "linear":
        title_zh, title_en = clause_titles(rule.clauses, labels)
    elif rule.kind == "cell_domain":
        title_zh = f"统计数应为非负整数（共{len(rule.cells)}个单元格）"
        title_en = f"counts are integers >= 0 ({len(rule.cells)} cells)"
    else:
        title_zh, title_en = "不可自动检查（需人工判断）", rule.expr
    return CatalogRow(
        rule_id=rule.rule_id,
        rule_family=rules.rule_family(rule.rule_id),
        format_id=rule.format_id,
        rule_kind=rule.kind,
        rule_category=rule_category(rule),
        severity=rule.severity,
        basis=rule.basis,
        null_policy=rule.null_policy,
        precondition=rule.precondition or "",
        automation=automation,
        is_automatic=automation == "automatic",
        is_cross_year=rule.is_cross_year,
        tolerance=rule.tolerance,
        clause_count=len(rule.clauses),
        source="metrics.yaml rules",
        title_zh=title_zh,
        title_en=title_en,
        expression=" ".join(rule.expr.split()),
        note=rule.note,
        automation_note=automation_note,
    )


def _dictionary_terms(rule: Rule) -> Iterable[TermRow]:
    if rule.kind == "cell_domain":
        for no, code in enumerate(rule.cells, start=1):
            yield TermRow(rule.rule_id, 1, "", ">=", "cell", no, code, "", 1.0, False)
        return
    for clause_no, clause in enumerate(rule.clauses, start=1):
        sides = (("lhs", clause.lhs), ("rhs", clause.rhs))
        terms = [(side, t) for side, side_terms in sides for t in side_terms]
        for no, (side, t) in enumerate(terms, start=1):
            code, coefficient = (
                ("", t.sign * t.operand) if isinstance(t.operand, float) else (t.operand, t.sign)
            )
            yield TermRow(
                rule.rule_id,
                clause_no,
                clause.label,
                clause.comparator,
                side,
                no,
                code,
                "",
                float(coefficient),
                t.is_prev,
            )


# --- narrative-vs-table and companion rules -------------------------------------------------


def _narrative_rows(
    dictionary: Mapping[str, Any], labels: Mapping[str, str], known: Mapping[str, set[str]]
) -> Iterable[tuple[CatalogRow, list[TermRow]]]:
    for spec in dictionary.get("narrative_facts") or []:
        fact = str(spec["fact"])
        for format_id, target in (spec.get("cross_check") or {}).items():
            codes = [c.strip() for c in str(target).split("/") if c.strip() in known[format_id]]
            rule_id = f"{format_id}.narrative.{fact}"
            names = _FACT_SPLITS.get(fact, (fact,) * len(codes))
            pairs = (
                list(zip(names, codes, strict=False))
                if fact in _FACT_SPLITS
                else [(fact, c) for c in codes]
            )
            cells = "、".join(f"「{labels.get(c, c)}」" for c in codes)
            fact_zh = _FACTS_ZH.get(fact, fact)
            automation = "hint" if codes else "not_automatable"
            note = (
                "narrative numbers come from regular expressions over the prose"
                if codes
                else f"no table cell to compare with ({target})"
            )
            row = CatalogRow(
                rule_id=rule_id,
                rule_family=rule_id,
                format_id=format_id,
                rule_kind="narrative_table" if codes else "manual",
                rule_category="narrative_table",
                severity=str(spec.get("severity", "warning")),
                basis="customary",
                null_policy="",
                precondition="",
                automation=automation,
                is_automatic=False,
                is_cross_year=False,
                tolerance=0.0,
                clause_count=len(pairs),
                source="metrics.yaml narrative_facts",
                title_zh=f"正文所述{fact_zh}应与表中{cells or '（无对应单元格）'}一致",
                title_en=f"narrative {fact} agrees with the table ({', '.join(codes) or target})",
                expression=f"{fact} == {' | '.join(codes) or target}",
                note="",
                automation_note=note,
            )
            terms = [
                TermRow(rule_id, 1, "", "==", "fact", no, code, name, 1.0, False)
                for no, (name, code) in enumerate(pairs, start=1)
            ]
            yield row, terms


def _companion_row(format_id: str, members: Sequence[Rule]) -> tuple[CatalogRow, list[TermRow]]:
    rule_id = f"{format_id}.parent_blank_children_present"
    row = CatalogRow(
        rule_id=rule_id,
        rule_family=rule_id,
        format_id=format_id,
        rule_kind="companion",
        rule_category="parent_blank_children",
        severity="warning",
        basis="label_implied",
        null_policy="children_null_as_zero",
        precondition="",
        automation="automatic",
        is_automatic=True,
        is_cross_year=False,
        tolerance=0.0,
        clause_count=len(members),
        source="metrics.yaml conventions.null_policy_values",
        title_zh="合计栏为空而其分项有正数",
        title_en="a total is blank while a component is positive",
        expression=f"children_null_as_zero companion flag over {len(members)} sum rules",
        note="",
        automation_note="",
    )
    return row, []


def _report_row(rule: rules.ReportRule) -> CatalogRow:
    return CatalogRow(
        rule_id=rule.rule_id,
        rule_family=rule.rule_id,
        format_id=ANY_FORMAT,
        rule_kind=rule.kind,
        rule_category=rule.category,
        severity=rule.severity,
        basis="customary",
        null_policy="",
        precondition="",
        automation=rule.automation,
        is_automatic=rule.automation == "automatic",
        is_cross_year=False,
        tolerance=0.0,
        clause_count=0,
        source=rules.REPORT_RULES_FILE,
        title_zh=rule.title_zh,
        title_en=rule.title_en,
        expression="",
        note=rule.note,
        automation_note=(
            "" if rule.automation == "automatic" else "heuristic: a prompt for a reviewer"
        ),
    )


# --- the catalog ------------------------------------------------------------------------


def build(dictionary: Mapping[str, Any] | None = None) -> tuple[list[CatalogRow], list[TermRow]]:
    """The catalog and the terms of every rule, in a stable order."""
    if dictionary is None:
        from xxgk.dictionary.metrics import raw_dictionary

        dictionary = raw_dictionary()
    labels = short_labels(dictionary)
    parsed = rules.load_rules(dictionary)
    known = {
        str(f["id"]): {str(m["code"]) for m in f.get("metrics") or []}
        for f in dictionary["formats"]
    }
    catalog: list[CatalogRow] = []
    terms: list[TermRow] = []
    for format_id, format_rules in parsed.items():
        for rule in format_rules:
            catalog.append(_dictionary_row(rule, labels))
            terms.extend(_dictionary_terms(rule))
        sums = [
            r
            for r in format_rules
            if r.kind == "linear" and r.null_policy == "children_null_as_zero"
        ]
        if sums:
            row, companion_terms = _companion_row(format_id, sums)
            catalog.append(row)
            terms.extend(companion_terms)
    for row, narrative_terms in _narrative_rows(dictionary, labels, known):
        catalog.append(row)
        terms.extend(narrative_terms)
    catalog.extend(_report_row(r) for r in rules.report_rules())
    return catalog, terms


def rule_counts(catalog: Sequence[CatalogRow] | None = None) -> dict[str, dict[str, int]]:
    """Format → rule counts: of the dictionary and added, each per automation level.

    Keys: ``dictionary``, ``dictionary_<automation>``, ``added``, ``added_<automation>``.
    """
    catalog = catalog if catalog is not None else build()[0]
    keys = [
        f"{group}{suffix}"
        for group in ("dictionary", "added")
        for suffix in ("", *(f"_{a}" for a in AUTOMATIONS))
    ]
    out: dict[str, Counter[str]] = {}
    for row in catalog:
        group = "dictionary" if row.source == "metrics.yaml rules" else "added"
        counts = out.setdefault(row.format_id, Counter())
        counts[group] += 1
        counts[f"{group}_{row.automation}"] += 1
    return {fmt: {k: counts.get(k, 0) for k in keys} for fmt, counts in out.items()}


def counts_table(catalog: Sequence[CatalogRow] | None = None) -> str:
    """The rule counts per format as a fixed-width table (the ``xxgk rules`` output)."""
    counts = rule_counts(catalog)
    header = ["format", "dictionary", "auto", "hint", "manual", "added", "auto", "hint", "manual"]
    rows = [[fmt, *map(str, c.values())] for fmt, c in counts.items()]
    totals = [sum(int(r[i]) for r in rows) for i in range(1, len(header))]
    rows.append(["total", *map(str, totals)])
    lines = ["  ".join(f"{h:>12}" for h in header)]
    lines += ["  ".join(f"{v:>12}" for v in row) for row in rows]
    legend = (
        "dictionary = rules: of metrics.yaml; added = narrative-vs-table, blank-total flags, "
        "report-level checks; auto = automatic, hint = for a reviewer, manual = not "
        "automatable"
    )
    return "\n".join([*lines, legend])
