"""xxgk.dictionary.rules: the rule language of metrics.yaml and its reference evaluator."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest

from tests.support.report_values import SEED001, SEED002, shanghai_2019_t3
from xxgk.dictionary import rules
from xxgk.dictionary.metrics import raw_dictionary
from xxgk.dictionary.rules import ClauseResult, Rule, evaluate_rule, parse_clause

RULES = rules.load_rules()
BY_ID = {r.rule_id: r for rs in RULES.values() for r in rs}


def values(plain: Mapping[str, float | None]) -> dict[rules.ValueKey, float | None]:
    return {(code, False): v for code, v in plain.items()}


def run(format_id: str, plain: Mapping[str, float | None]) -> dict[str, ClauseResult]:
    return {
        r.rule_id: evaluate_rule(r, values(plain), has_previous=False)
        for r in RULES[format_id]
        if r.kind == "linear"
    }


def rule(expr: str, null_policy: str) -> Rule:
    return Rule(
        "t.rule", "old", expr, "linear", "error", "", null_policy, clauses=(parse_clause(expr),)
    )


# --- parsing ------------------------------------------------------------------------------


def test_every_rule_of_the_dictionary_is_parsed_once_per_format() -> None:
    dictionary = {f["id"]: len(f.get("rules") or []) for f in raw_dictionary()["formats"]}
    assert (
        {fmt: len(rs) for fmt, rs in RULES.items()}
        == dictionary
        == {"old": 32, "v2019": 55, "v2021": 59}
    )  # old: 22 national + 8 year_cumulative + 2 year_end
    kinds = {fmt: Counter(r.kind for r in rs) for fmt, rs in RULES.items()}
    assert kinds["old"] == {"linear": 31, "cell_domain": 1}
    assert kinds["v2019"] == {"linear": 53, "cell_domain": 2}
    assert kinds["v2021"] == {"linear": 55, "cell_domain": 3, "manual": 1}
    assert BY_ID["v2021.t2.transition_not_comparable"].reason.startswith("free text")


def test_prev_and_template_expansions_become_clauses() -> None:
    chain = BY_ID["v2019.t2.items_chain"]
    assert [c.label for c in chain.clauses] == ["license", "othersvc", "penalty", "coercion", "fee"]
    first = chain.clauses[0]
    assert [(t.operand, t.is_prev) for t in first.rhs] == [
        ("v19_t2_license_prev_items", True),
        ("v19_t2_license_change", True),
    ]
    same_for = BY_ID["v2019.t2.total_published_nondecreasing"]
    assert [c.label for c in same_for.clauses] == ["ndoc", "reg"]
    assert same_for.clauses[1].codes == ("v19_t2_reg_total_published",) * 2
    bare_x = BY_ID["v2019.t2.items_nonnegative_after_change"]
    assert [c.label for c in bare_x.clauses] == sorted(c.label for c in chain.clauses)
    conjunction = BY_ID["v2021.t2.reg_requires_rule_making_power"]
    assert len(conjunction.clauses) == 3 and conjunction.precondition == "no_rule_making_power"
    assert BY_ID["v2021.t2.in_force_chain.reg"].is_cross_year


def test_all_cells_rules_list_their_cells() -> None:
    # count metrics, not amounts: 65 national, 30 of the year_cumulative table, 11 of year_end
    assert len(BY_ID["old.nonnegative_integers"].cells) == 106
    assert all(c.startswith("t4_") for c in BY_ID["v2019.t4.nonnegative_integers"].cells)
    assert all(c.startswith("v21_t2_") for c in BY_ID["v2021.t2.counts_nonnegative_integers"].cells)
    assert "v21_t2_fee_amount" not in BY_ID["v2021.t2.counts_nonnegative_integers"].cells


def test_amounts_get_the_amount_tolerance() -> None:
    fee = BY_ID["v2021.t2.fee_amount_nonnegative"]
    assert fee.tolerance == rules.AMOUNT_TOLERANCE
    assert evaluate_rule(fee, values({"v21_t2_fee_amount": -0.005})).outcome == "passed"
    assert evaluate_rule(fee, values({"v21_t2_fee_amount": -1.0})).outcome == "failed"


@pytest.mark.parametrize("expr", ["a == b == c", "a + == b", "a b == c", "a", "a == prev(1)"])
def test_parse_rejects_anything_but_one_linear_comparison(expr: str) -> None:
    with pytest.raises(ValueError):
        parse_clause(expr)


def test_rule_family_groups_per_column_rules() -> None:
    assert rules.rule_family("v2019.t3.balance.natural_person") == "v2019.t3.balance"
    assert rules.rule_family("old.staff_split") == "old.staff_split"


# --- reference evaluation on real reports -------------------------------------------------


def test_seed001_findings() -> None:
    results = run("old", SEED001)
    failed = {rid: r for rid, r in results.items() if r.outcome == "failed"}
    assert set(failed) == {
        "old.subset_press_principal",
        "old.resp_channels_sum",
        "old.resp_header_sum",
    }
    assert (
        failed["old.subset_press_principal"].reason,
        failed["old.subset_press_principal"].lhs,
        failed["old.subset_press_principal"].rhs,
    ) == ("parent_blank", 2, None)
    assert (failed["old.resp_channels_sum"].lhs, failed["old.resp_channels_sum"].rhs) == (10, 8)
    assert (failed["old.resp_header_sum"].lhs, failed["old.resp_header_sum"].rhs) == (12, 10)
    assert results["old.staff_split"].reason == "total_blank"  # F4: the companion flag's case
    assert results["old.litigation_split"].reason == "components_blank"


def test_seed002_every_rule_passes() -> None:
    results = run("old", SEED002)
    assert not [r for r in results.values() if r.outcome == "failed"]
    assert results["old.channels_header_sum"].outcome == "passed"  # 976 = 0+927+12+37+0
    assert results["old.info_total_le_channels"].difference == 645 - 976


def test_shanghai_2019_balance_and_a_broken_number() -> None:
    results = run("v2019", shanghai_2019_t3())
    total = results["v2019.t3.balance.total"]
    assert (total.outcome, total.lhs, total.rhs, total.difference) == ("passed", 877, 877, 0)
    assert results["v2019.t3.row_total.res_granted"].reason == "total_blank"
    assert not [r for r in results.values() if r.outcome == "failed"]
    broken = run("v2019", {**shanghai_2019_t3(), "t3_new_received__total": 860})
    assert {rid for rid, r in broken.items() if r.outcome == "failed"} == {
        "v2019.t3.balance.total",
        "v2019.t3.row_total.new_received",
    }


# --- null policies ------------------------------------------------------------------------


@pytest.mark.parametrize("policy", rules.NULL_POLICIES)
def test_a_rule_with_every_operand_blank_is_not_assessable(policy: str) -> None:
    result = evaluate_rule(rule("a == b + c", policy), values({"a": None, "b": None}))
    assert (result.outcome, result.reason, result.lhs) == ("not_assessable", "all_blank", None)


@pytest.mark.parametrize(
    ("policy", "plain", "reason"),
    [
        ("children_null_as_zero", {"a": 5, "b": 5}, "holds"),
        ("children_null_as_zero", {"a": 5}, "components_blank"),
        ("children_null_as_zero", {"b": 3}, "total_blank"),
        ("skip_if_any_null", {"a": 5, "b": 5}, "operand_blank"),
        ("skip_if_any_null", {"a": 5, "b": 5, "c": 1}, "does_not_hold"),
        ("skip_if_parent_null", {"a": 5}, "does_not_hold"),
        ("skip_if_parent_null", {"b": 5}, "total_blank"),
        ("any_present_nulls_as_zero", {"c": 2}, "does_not_hold"),
        ("any_present_nulls_as_zero", {"a": 0, "b": 0}, "holds"),
    ],
)
def test_null_policies_on_a_sum_rule(
    policy: str, plain: dict[str, float | None], reason: str
) -> None:
    assert evaluate_rule(rule("a == b + c", policy), values(plain)).reason == reason


@pytest.mark.parametrize(
    ("plain", "reason"),
    [
        ({"sub": 2}, "parent_blank"),
        ({"sub": 0}, "parent_blank_subset_zero"),
        ({"parent": 4}, "subset_blank"),
        ({"sub": 2, "parent": 4}, "holds"),
        ({"sub": 5, "parent": 4}, "does_not_hold"),
    ],
)
def test_blank_parent_is_violation(plain: dict[str, float | None], reason: str) -> None:
    result = evaluate_rule(rule("sub <= parent", "blank_parent_is_violation"), values(plain))
    assert result.reason == reason


def test_cross_year_and_precondition_decide_before_the_values() -> None:
    chain = BY_ID["v2019.t3.carry_chain.total"]
    current = {("t3_carried_over__total", False): 3.0, ("t3_carried_forward__total", True): 3.0}
    assert evaluate_rule(chain, current).outcome == "passed"
    assert evaluate_rule(chain, current, has_previous=False).reason == "no_previous_report"
    reg = BY_ID["v2019.t2.reg_requires_rule_making_power"]
    made = values({"v19_t2_reg_new_made": 2, "v19_t2_reg_new_published": 0})
    assert evaluate_rule(reg, made, precondition_met=True).outcome == "failed"
    assert evaluate_rule(reg, made, precondition_met=False).reason == "precondition_not_met"
    assert evaluate_rule(reg, made, precondition_met=None).reason == "precondition_unknown"
