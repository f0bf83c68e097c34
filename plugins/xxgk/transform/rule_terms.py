"""Rules as data: metrics.yaml → the dbt seeds the SQL rule evaluator reads.

Three generated seeds under ``dbt_project/seeds/quality/`` (committed; a test checks they
equal what :func:`write_seeds` writes, so a new rule in metrics.yaml is a data change):

* ``rule_catalog.csv`` — one row per rule: the dictionary's ``rules:`` (every one, also the
  ones that cannot be automated), one narrative-vs-table rule per ``narrative_facts`` entry
  and format of its ``cross_check``, a ``parent_blank_children_present`` flag per format, and
  the report-level checks of :data:`REPORT_RULES` (publication date, statistics period,
  template, blank tables, agency name, narrative internal sums, percentages).
* ``rule_terms.csv`` — one row per operand: ``(rule_id, clause_no, side, metric_code,
  coefficient, is_prev, fact)``; constants have no metric code.
* ``rule_reasons.csv`` — the texts (Chinese and English) of every outcome reason code.

``publication_deadlines.csv`` beside them is hand-maintained configuration, not generated.

Each rule says whether it is ``automatic`` (decided by the data under its null policy),
a ``hint`` for a human (heuristic: narrative numbers, inferred metadata) or
``not_automatable`` (with the reason).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Final

from xxgk.core.paths import REPO_ROOT
from xxgk.dictionary import rules
from xxgk.dictionary.rules import Clause, Rule, Term
from xxgk.transform.seed_csv import to_csv

SEED_DIR: Final = REPO_ROOT / "dbt_project" / "seeds" / "quality"
CATALOG_FILE: Final = "rule_catalog.csv"
TERMS_FILE: Final = "rule_terms.csv"
REASONS_FILE: Final = "rule_reasons.csv"
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


@dataclass(frozen=True)
class ReportRule:
    """A report-level check implemented in the quality models (not in metrics.yaml)."""

    rule_id: str
    category: str
    kind: str
    severity: str
    automation: str
    title_zh: str
    title_en: str
    note: str


REPORT_RULES: Final = (
    ReportRule(
        "report.publication_deadline",
        "publication_date",
        "report_check",
        "warning",
        "automatic",
        "发布日期应在报告年度次年1月1日至法定期限之间",
        "published between 1 January of the next year and the statutory deadline",
        "Deadlines from publication_deadlines.csv: 2019 条例 art. 49 (departments by "
        "1月31日, governments by 3月31日 of the next year), 3月31日 for every body "
        "before; an unknown body type gets the later deadline.",
    ),
    ReportRule(
        "report.statistics_period",
        "statistics_period",
        "report_check",
        "warning",
        "automatic",
        "统计期限应为报告年度1月1日至12月31日",
        "statistics period is the calendar year of the report",
        "Compares the stated 统计期限 (period_start / period_end) with 1 January and "
        "31 December of the report year; not assessable when the report states none.",
    ),
    ReportRule(
        "report.template_year",
        "template",
        "report_check",
        "warning",
        "automatic",
        "表格格式应与报告年度相符（旧表≤2018，2019版2019–2020，2021版≥2021）",
        "table template matches the report year (old <= 2018, v2019 2019-2020, v2021 >= 2021)",
        "A superseded template (old or v2019 in a later year) or a template newer "
        "than the year (wrong year?) fails.",
    ),
    ReportRule(
        "report.tables_not_blank",
        "blank_tables",
        "report_check",
        "warning",
        "automatic",
        "统计表不应整表空白",
        "no statistics table is entirely blank",
        "Table formats only: a report without cells, or a table whose every cell is blank, fails.",
    ),
    ReportRule(
        "report.agency_named",
        "agency",
        "report_check",
        "warning",
        "hint",
        "报告机关名称应可识别（非占位符或网址）",
        "the reporting agency is named (not a placeholder or a web address)",
        "Heuristic: a missing name, a domain-like name or title, or a name without "
        "Chinese characters.",
    ),
    ReportRule(
        "report.narrative_parts_within_total",
        "narrative_internal",
        "narrative_parts",
        "warning",
        "hint",
        "正文“共N…，其中a、b…”所列分项之和不应超过总数",
        "the parts listed after 其中 in the prose do not exceed the stated total",
        "Read from the narrative sentences: the last count before 其中 is the total, the "
        "counts after it with the same unit are the parts.",
    ),
    ReportRule(
        "report.narrative_percentages",
        "narrative_internal",
        "narrative_percentages",
        "warning",
        "hint",
        "正文所述百分比不应超过100%",
        "percentages stated in the prose do not exceed 100%",
        "A rate above 100% (or '100%以上') is impossible for 更新率/满意率-type figures.",
    ),
)


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


def _report_row(rule: ReportRule) -> CatalogRow:
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
        source="xxgk.transform.rule_terms",
        title_zh=rule.title_zh,
        title_en=rule.title_en,
        expression="",
        note=rule.note,
        automation_note=(
            "" if rule.automation == "automatic" else "heuristic: a prompt for a reviewer"
        ),
    )


# --- the seeds ----------------------------------------------------------------------------


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
    catalog.extend(_report_row(r) for r in REPORT_RULES)
    return catalog, terms


REASONS: Final = {
    # reason code: (outcome, Chinese, English)
    "holds": ("passed", "成立", "holds"),
    "does_not_hold": ("failed", "不成立", "does not hold"),
    "all_blank": ("not_assessable", "相关单元格全部为空", "every operand is blank"),
    "operand_absent": (
        "not_assessable",
        "有单元格不在报告中（表格被截断或缺失），不是空白",
        "an operand is not in the report (its table is cut or missing), not a blank",
    ),
    "operand_unread": (
        "not_assessable",
        "有单元格未能读取（数值未能对应到栏目，待人工确认）",
        "an operand was left unread (its value could not be assigned to a column)",
    ),
    "operand_blank": (
        "not_assessable",
        "有单元格为空（任一为空即不检查）",
        "an operand is blank (skip_if_any_null)",
    ),
    "total_blank": ("not_assessable", "合计栏为空", "the total is blank"),
    "components_blank": ("not_assessable", "分项全部为空", "every component is blank"),
    "subset_blank": ("not_assessable", "“其中”项为空", "the subset (其中) is blank"),
    "parent_blank": (
        "failed",
        "上级项为空而“其中”项为正数",
        "the parent is blank while its subset (其中) is positive",
    ),
    "parent_blank_subset_zero": (
        "not_assessable",
        "上级项为空，“其中”项为0",
        "the parent is blank and the subset is 0",
    ),
    "no_previous_report": (
        "not_assessable",
        "无同一机关上一年度报告",
        "no report of the same agency for the previous year",
    ),
    "precondition_not_met": (
        "not_assessable",
        "前提条件不满足（该机关有规章制定权）",
        "precondition not met (the agency can make 规章)",
    ),
    "precondition_unknown": (
        "not_assessable",
        "无法判断前提条件（机关类型或层级未知）",
        "precondition unknown (body type or level unknown)",
    ),
    "not_automatable": (
        "not_assessable",
        "不可自动检查，需人工判断",
        "not automatable: needs a human",
    ),
    "no_cells": ("not_assessable", "报告中没有相关单元格", "no such cell in the report"),
    "negative_or_fraction": ("failed", "存在负数或非整数", "a count is negative or not an integer"),
    "children_present": (
        "failed",
        "合计栏为空而分项有正数",
        "a total is blank while a component is positive",
    ),
    "no_narrative": ("not_assessable", "正文未提及", "the prose does not state it"),
    "narrative_matches": ("passed", "正文与表格一致", "the prose agrees with the table"),
    "narrative_differs": ("failed", "正文与表格不一致", "the prose differs from the table"),
    "table_blank": (
        "failed",
        "正文给出数字而表中该栏为空",
        "the prose states a number while the table cell is blank",
    ),
    "parts_exceed_total": ("failed", "所列分项之和超过总数", "the listed parts exceed the total"),
    "parts_within_total": ("passed", "分项之和未超过总数", "the parts do not exceed the total"),
    "percentage_impossible": ("failed", "百分比超过100%", "a percentage above 100%"),
    "percentages_plausible": ("passed", "百分比合理", "percentages are plausible"),
    "not_applicable": ("not_assessable", "不适用于该报告", "does not apply to this report"),
    "metadata_missing": ("not_assessable", "元数据缺失", "the metadata is missing"),
    "published_early": (
        "failed",
        "发布日期早于报告年度结束",
        "published before the report year ended",
    ),
    "published_late": ("failed", "发布日期晚于法定期限", "published after the statutory deadline"),
    "published_in_time": ("passed", "在法定期限内发布", "published within the deadline"),
    "period_not_calendar_year": (
        "failed",
        "统计期限不是完整的自然年度",
        "the statistics period is not the calendar year",
    ),
    "period_calendar_year": (
        "passed",
        "统计期限为完整的自然年度",
        "the statistics period is the calendar year",
    ),
    "template_superseded": (
        "failed",
        "使用了已废止的表格格式",
        "a superseded template for that year",
    ),
    "template_newer_than_year": (
        "failed",
        "表格格式晚于报告年度（年度可能有误）",
        "a template newer than the year (wrong year?)",
    ),
    "template_matches_year": ("passed", "表格格式与年度相符", "the template matches the year"),
    "tables_blank": ("failed", "存在整表空白", "a table is entirely blank"),
    "tables_filled": ("passed", "各表均有数据", "every table has values"),
    "agency_placeholder": (
        "failed",
        "机关名称缺失或为占位符",
        "the agency name is missing or a placeholder",
    ),
    "agency_named": ("passed", "机关名称可识别", "the agency is named"),
}


def _csv_text(rows: Sequence[Any], columns: Sequence[str]) -> str:
    return to_csv(
        (
            r
            if isinstance(r, dict)
            else asdict(r)
            if not isinstance(r, tuple)
            else dict(zip(columns, r, strict=True))
            for r in rows
        ),
        columns,
    )


def seed_texts(dictionary: Mapping[str, Any] | None = None) -> dict[str, str]:
    """File name → the CSV text of each generated seed."""
    catalog, terms = build(dictionary)
    reasons = [(code, *texts) for code, texts in REASONS.items()]
    return {
        CATALOG_FILE: _csv_text(catalog, [f.name for f in fields(CatalogRow)]),
        TERMS_FILE: _csv_text(terms, [f.name for f in fields(TermRow)]),
        REASONS_FILE: _csv_text(reasons, ["reason_code", "outcome", "message_zh", "message_en"]),
    }


def write_seeds(seed_dir: Path | None = None) -> list[Path]:
    """(Re)write the generated seeds; returns their paths."""
    folder = seed_dir or SEED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in seed_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


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
