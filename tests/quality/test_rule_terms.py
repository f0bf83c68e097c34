"""xxgk.transform.rule_terms: the rule seeds are generated from the dictionary's rule catalog
(metrics.yaml and report_rules.yaml; no warehouse)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from xxgk.dictionary import catalog, rules
from xxgk.dictionary.metrics import raw_dictionary
from xxgk.orchestration.cli import main
from xxgk.transform import rule_terms

CATALOG, TERMS = catalog.build()
BY_ID = {row.rule_id: row for row in CATALOG}


def test_committed_seeds_equal_what_the_generator_writes(tmp_path: Path) -> None:
    written = rule_terms.write_seeds(tmp_path)
    for path in written:
        committed = rule_terms.SEED_DIR / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"regenerate with xxgk.transform.rule_terms.write_seeds(): {path.name}"
        )
    assert {p.name for p in written} == {"rule_catalog.csv", "rule_terms.csv", "rule_reasons.csv"}


def test_every_dictionary_rule_is_in_the_catalog_with_its_severity() -> None:
    for fmt in raw_dictionary()["formats"]:
        for raw in fmt["rules"]:
            row = BY_ID[raw["id"]]
            assert (row.format_id, row.severity) == (fmt["id"], raw["severity"])
            assert row.source == "metrics.yaml rules"


def test_rule_counts_per_format_equal_the_dictionary() -> None:
    counts = catalog.rule_counts(CATALOG)
    dictionary = {f["id"]: len(f["rules"]) for f in raw_dictionary()["formats"]}
    assert {fmt: c["dictionary"] for fmt, c in counts.items() if fmt != "any"} == dictionary
    assert counts["old"] == {
        "dictionary": 32,
        "dictionary_automatic": 32,
        "dictionary_hint": 0,
        "dictionary_not_automatable": 0,
        "added": 12,
        "added_automatic": 1,
        "added_hint": 11,
        "added_not_automatable": 0,
    }
    assert counts["v2021"]["dictionary_not_automatable"] == 1  # transition_not_comparable
    assert counts["v2019"]["dictionary_hint"] == counts["v2021"]["dictionary_hint"] == 1
    assert counts["any"]["added"] == len(rules.report_rules())


def test_terms_reference_the_dictionary_codes_and_clauses() -> None:
    known = {m["code"] for f in raw_dictionary()["formats"] for m in f["metrics"]}
    assert {t.metric_code for t in TERMS if t.metric_code} <= known
    for row in CATALOG:
        clauses = {t.clause_no for t in TERMS if t.rule_id == row.rule_id}
        if row.rule_kind == "linear":
            assert clauses == set(range(1, row.clause_count + 1)), row.rule_id
    chain = [t for t in TERMS if t.rule_id == "v2021.t2.in_force_chain.reg"]
    assert [(t.side, t.metric_code, t.coefficient, t.is_prev) for t in chain] == [
        ("lhs", "v21_t2_reg_in_force", 1.0, False),
        ("rhs", "v21_t2_reg_in_force", 1.0, True),
        ("rhs", "v21_t2_reg_issued", 1.0, False),
        ("rhs", "v21_t2_reg_repealed", -1.0, False),
    ]
    fees = [t for t in TERMS if t.rule_id == "old.fees_plausible"]
    assert [(t.side, t.metric_code, t.coefficient) for t in fees] == [
        ("lhs", "old_fees_collected", 1.0),
        ("rhs", "", 100.0),
    ]


def test_narrative_rules_pair_facts_with_cells() -> None:
    staff = [(t.fact, t.metric_code) for t in TERMS if t.rule_id == "old.narrative.staff"]
    assert staff == [
        ("staff_fulltime", "old_org_staff_fulltime"),
        ("staff_parttime", "old_org_staff_parttime"),
    ]
    assert BY_ID["old.narrative.website_items"].automation == "hint"
    assert BY_ID["v2021.narrative.info_processing_fee"].automation == "not_automatable"


def test_every_rule_says_automatic_hint_or_not_automatable() -> None:
    assert Counter(r.automation for r in CATALOG).keys() <= set(catalog.AUTOMATIONS)
    assert all(r.is_automatic == (r.automation == "automatic") for r in CATALOG)
    assert all(r.automation_note for r in CATALOG if r.automation != "automatic")
    categories = {r.rule_category for r in CATALOG}
    assert {
        "sum_of_items",
        "subset",
        "t3_balance",
        "t3_applicant_columns",
        "t4_sums",
        "nonnegative_integers",
        "narrative_table",
        "narrative_internal",
        "cross_year",
        "publication_date",
        "statistics_period",
        "template",
        "blank_tables",
        "agency",
    } <= categories


def test_reasons_cover_every_outcome_and_the_seed_parses() -> None:
    rows = list(csv.DictReader((rule_terms.SEED_DIR / "rule_reasons.csv").open(encoding="utf-8")))
    assert {r["reason_code"] for r in rows} == set(rules.reasons())
    assert {r["outcome"] for r in rows} == {"passed", "failed", "not_assessable"}


def test_the_rules_command_prints_the_counts() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["format", "dictionary"]
    old = next(line.split() for line in lines if line.split()[:1] == ["old"])
    assert old[1:5] == ["32", "32", "0", "0"]
    total = next(line.split() for line in lines if line.split()[:1] == ["total"])
    assert total[1] == "146"
