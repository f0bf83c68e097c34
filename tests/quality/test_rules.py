"""xxgk.rules: parsing the consistency rules of metrics.yaml and evaluating them per report."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from tests.quality.marts import SEED001, add_report, shanghai_2019_t3
from xxgk import rules
from xxgk.dictionary import raw_dictionary
from xxgk.rules import Rule, RuleResult, evaluate_report, evaluate_rule, parse_expr

RULE_SET = rules.load_rules()

# SEED002 (old, Guizhou 2016; every printed cell, zeros included), SPEC Appendix A.
SEED002: dict[str, float] = {
    "old_act_info_total": 645, "old_act_ndoc_published": 0, "old_act_ndoc_issued": 0,
    "old_act_channels_total": 976, "old_act_ch_gazette": 0, "old_act_ch_website": 927,
    "old_act_ch_weibo": 12, "old_act_ch_wechat": 37, "old_act_ch_other": 0,
    "old_act_proposals_total": 0, "old_act_prop_npc": 0, "old_act_prop_cppcc": 0,
    "old_s2_header_total": 19, "old_resp_hotspots": 2, "old_resp_channels_total": 17,
    "old_resp_press_conf": 1, "old_resp_press_conf_principal": 1, "old_resp_interview": 0,
    "old_resp_interview_principal": 0, "old_resp_interpretations": 14,
    "old_resp_weibo_wechat": 1, "old_resp_other": 1, "old_s3_header_total": 1,
    "old_app_received": 1, "old_app_recv_in_person": 0, "old_app_recv_fax": 0,
    "old_app_recv_online": 1, "old_app_recv_letter": 0, "old_app_closed": 1,
    "old_app_closed_on_time": 1, "old_app_closed_extended": 0, "old_app_answered": 1,
    "old_ans_already_public": 0, "old_ans_granted": 1, "old_ans_partial": 0, "old_ans_denied": 0,
    "old_den_state_secret": 0, "old_den_commercial_secret": 0, "old_den_privacy": 0,
    "old_den_security_stability": 0, "old_den_not_gov_info": 0, "old_den_other_legal": 0,
    "old_ans_not_this_agency": 0, "old_ans_not_exist": 0, "old_ans_notice_amend": 0,
    "old_ans_notice_other_route": 0, "old_review_total": 0, "old_review_upheld": 0,
    "old_review_corrected": 0, "old_review_other": 0, "old_lit_total": 0, "old_lit_upheld": 0,
    "old_lit_corrected": 0, "old_lit_other": 0, "old_complaints_total": 0,
    "old_fees_collected": 0, "old_org_dedicated_units": 1, "old_org_reading_points": 1,
    "old_org_staff_total": 1, "old_org_staff_fulltime": 0, "old_org_staff_parttime": 1,
    "old_org_special_funds": 2, "old_train_meetings": 2, "old_train_classes": 2,
    "old_train_trainees": 6,
}  # fmt: skip


def by_id(results: list[RuleResult]) -> dict[str, RuleResult]:
    return {r.rule_id: r for r in results}


def run(format_id: str, values: dict[str, float | None]) -> dict[str, RuleResult]:
    return by_id(list(evaluate_report(RULE_SET.rules[format_id], values)))


def rule(expr: str, null_policy: str, severity: str = "error") -> Rule:
    lhs, comparator, rhs = parse_expr(expr)
    return Rule("t.rule", "old", "t.rule", expr, lhs, comparator, rhs, severity, null_policy, "")


# --- parsing ------------------------------------------------------------------------------


def test_every_rule_of_the_dictionary_is_automated_or_skipped_with_a_reason() -> None:
    total = sum(len(f.get("rules") or []) for f in raw_dictionary()["formats"])
    automated = {fmt: len(rs) for fmt, rs in RULE_SET.rules.items()}
    assert automated == {"old": 21, "v2019": 42, "v2021": 45}
    assert sum(automated.values()) + len(RULE_SET.skipped) == total
    assert all(s.reason for s in RULE_SET.skipped)
    reasons = Counter(s.reason.split(":")[0].split(" (")[0] for s in RULE_SET.skipped)
    assert reasons["cross-year"] == 18  # carry_chain ×14, in_force_chain ×2, two t2 chains
    assert reasons["metadata precondition"] == 2
    skipped_ids = {s.rule_id for s in RULE_SET.skipped}
    assert {"old.nonnegative_integers", "v2021.t2.transition_not_comparable"} <= skipped_ids
    assert "v2019.t2.items_nonnegative_after_change" in skipped_ids  # 'X' placeholder


def test_parse_linear_comparison_with_constants() -> None:
    lhs, op, rhs = parse_expr("a_1 + b - c <= 100")
    assert op == "<="
    assert [(t.sign, t.operand) for t in lhs] == [(1, "a_1"), (1, "b"), (-1, "c")]
    assert [(t.sign, t.operand) for t in rhs] == [(1, 100.0)]


@pytest.mark.parametrize(
    "expr",
    ["a == prev(a)", "a == 0 and b == 0", "a + == b", "a == b == c", "a b == c", "a"],
)
def test_parse_rejects_anything_but_one_linear_comparison(expr: str) -> None:
    with pytest.raises(ValueError):
        parse_expr(expr)


def test_families_group_per_column_rules_and_keep_one_severity() -> None:
    families = RULE_SET.families()
    assert len(families["v2019.t3.balance"]) == 7
    assert len(families["v2021.t3.row_total"]) == 25
    assert all(len({r.severity for r in members}) == 1 for members in families.values())
    assert rules.companion_family("old") in RULE_SET.companion_families()


def test_amount_rules_get_the_amount_tolerance() -> None:
    fee = by_id([evaluate_rule(r, {"v21_t2_fee_amount": -0.005}) for r in RULE_SET.rules["v2021"]])
    assert fee["v2021.t2.fee_amount_nonnegative"].outcome == "passed"
    fee = by_id([evaluate_rule(r, {"v21_t2_fee_amount": -1.0}) for r in RULE_SET.rules["v2021"]])
    assert fee["v2021.t2.fee_amount_nonnegative"].outcome == "failed"


# --- SEED001 / SEED002 (old format) -------------------------------------------------------


def test_seed001_blank_press_conferences_with_principal_2_fails_the_subset_rule() -> None:
    result = run("old", dict(SEED001))["old.subset_press_principal"]
    assert result.outcome == "failed"
    assert result.severity == "error"
    assert result.lhs == 2 and result.rhs is None
    assert "parent blank" in result.message


def test_seed001_channels_reconcile_with_the_info_total() -> None:
    results = run("old", dict(SEED001))
    channels = results["old.info_total_le_channels"]
    assert (channels.outcome, channels.lhs, channels.rhs, channels.difference) == (
        "passed",
        492,
        492,
        0,
    )
    assert results["old.s1_header_eq_info_total"].outcome == "passed"
    assert results["old.channels_header_sum"].outcome == "not_assessable"  # header blank


def test_seed001_known_findings_and_consistent_parts() -> None:
    results = run("old", dict(SEED001))
    outcome = {rule_id: r.outcome for rule_id, r in results.items()}
    # F2: 10 vs items 1-5 = 8; F3: 12 vs (blank) + 10.
    assert results["old.resp_channels_sum"].difference == 2
    assert results["old.resp_header_sum"].difference == 2
    # F4: staff total blank while part-time = 1 -> companion flag, main rule not assessable.
    assert outcome["old.staff_split"] == "not_assessable"
    assert outcome["old.staff_split.parent_blank_children_present"] == "failed"
    for consistent in (
        "old.app_received_by_channel",
        "old.app_closed_split",
        "old.app_answered_split",
        "old.review_split",
        "old.s3_header_eq_received",
        "old.answered_eq_closed",
        "old.fees_plausible",
        "old.subset_ndoc",
    ):
        assert outcome[consistent] == "passed", consistent
    assert outcome["old.litigation_split"] == "not_assessable"  # 0 with every split blank
    failed = {(r.rule_id, r.severity) for r in results.values() if r.outcome == "failed"}
    assert failed == {
        ("old.subset_press_principal", "error"),
        ("old.resp_channels_sum", "warning"),
        ("old.resp_header_sum", "warning"),
        ("old.staff_split.parent_blank_children_present", "warning"),
    }


def test_seed002_every_rule_passes() -> None:
    results = run("old", dict(SEED002))
    assert not [r for r in results.values() if r.outcome == "failed"]
    assert results["old.channels_header_sum"].outcome == "passed"  # 976 = 0+927+12+37+0
    assert results["old.resp_channels_sum"].outcome == "passed"  # 17 = 1+0+14+1+1
    assert results["old.info_total_le_channels"].difference == 645 - 976


# --- v2019 table 三 (Shanghai 2019) --------------------------------------------------------


def test_shanghai_2019_balance_holds_per_column() -> None:
    results = run("v2019", shanghai_2019_t3())
    total = results["v2019.t3.balance.total"]
    assert (total.outcome, total.lhs, total.rhs, total.difference) == ("passed", 877, 877, 0)
    assert results["v2019.t3.balance.natural_person"].lhs == 839
    assert results["v2019.t3.balance.org_commercial"].outcome == "passed"
    assert results["v2019.t3.balance.org_social_welfare"].outcome == "not_assessable"
    assert results["v2019.t3.results_total.natural_person"].outcome == "passed"
    assert results["v2019.t3.row_total.res_total"].outcome == "passed"  # 805 = 767+35+2+1
    # 总计 blank on the result rows: not a violation.
    assert results["v2019.t3.row_total.res_granted"].outcome == "not_assessable"
    assert results["v2019.t4.review_total"].outcome == "passed"
    assert not [r for r in results.values() if r.outcome == "failed"]


def test_shanghai_2019_balance_fails_when_one_number_changes() -> None:
    values = shanghai_2019_t3()
    values["t3_new_received__total"] = 860
    results = run("v2019", values)
    total = results["v2019.t3.balance.total"]
    assert (total.outcome, total.difference) == ("failed", 1)
    assert "878 == 877 does not hold" in total.message
    assert results["v2019.t3.row_total.new_received"].outcome == "failed"
    assert results["v2019.t3.balance.natural_person"].outcome == "passed"


# --- null policies ------------------------------------------------------------------------


@pytest.mark.parametrize("policy", rules.NULL_POLICIES)
def test_a_rule_with_every_operand_blank_is_not_assessable(policy: str) -> None:
    result = evaluate_rule(rule("a == b + c", policy), {"a": None, "b": None})
    assert result.outcome == "not_assessable"
    assert (result.lhs, result.rhs, result.difference) == (None, None, None)


@pytest.mark.parametrize(
    ("policy", "values", "outcome"),
    [
        ("children_null_as_zero", {"a": 5, "b": 5}, "passed"),
        ("children_null_as_zero", {"a": 5}, "not_assessable"),
        ("children_null_as_zero", {"b": 3}, "not_assessable"),
        ("skip_if_any_null", {"a": 5, "b": 5}, "not_assessable"),
        ("skip_if_any_null", {"a": 5, "b": 5, "c": 1}, "failed"),
        ("skip_if_parent_null", {"a": 5}, "failed"),
        ("skip_if_parent_null", {"b": 5}, "not_assessable"),
        ("any_present_nulls_as_zero", {"c": 2}, "failed"),
        ("any_present_nulls_as_zero", {"a": 0, "b": 0}, "passed"),
    ],
)
def test_null_policies_on_a_sum_rule(
    policy: str, values: dict[str, float | None], outcome: str
) -> None:
    assert evaluate_rule(rule("a == b + c", policy), values).outcome == outcome


@pytest.mark.parametrize(
    ("values", "outcome"),
    [
        ({"sub": 2}, "failed"),
        ({"sub": 0}, "not_assessable"),
        ({"parent": 4}, "not_assessable"),
        ({"sub": 2, "parent": 4}, "passed"),
        ({"sub": 5, "parent": 4}, "failed"),
    ],
)
def test_blank_parent_is_violation(values: dict[str, float | None], outcome: str) -> None:
    assert evaluate_rule(rule("sub <= parent", "blank_parent_is_violation"), values).outcome == (
        outcome
    )


def test_companion_flag_only_for_a_blank_total_with_a_positive_component() -> None:
    sum_rule = rule("a == b + c", "children_null_as_zero")
    assert rules.evaluate_companion(sum_rule, {"b": 1}).outcome == "failed"
    assert rules.evaluate_companion(sum_rule, {"b": 0}).outcome == "passed"
    assert rules.evaluate_companion(sum_rule, {"a": 1, "b": 1}).outcome == "passed"


# --- warehouse ----------------------------------------------------------------------------


def test_evaluate_warehouse_uses_current_reports_and_their_format(
    mart_con: duckdb.DuckDBPyConnection,
) -> None:
    seed001 = {**SEED001, "old_resp_press_conf": None, "old_org_staff_total": None}
    add_report(mart_con, "seed001", "old", seed001, agency="台州市经信委", year=2017)
    add_report(mart_con, "sh2019", "v2019", shanghai_2019_t3(), agency="上海市政府办公厅")
    add_report(mart_con, "old_version", "old", {"old_resp_press_conf_principal": 9},
               is_current=False)  # fmt: skip
    add_report(mart_con, "prose", "narrative", {})
    frame = rules.evaluate_warehouse(mart_con)
    assert tuple(frame.columns) == rules.RESULT_COLUMNS
    assert set(frame["report_key"]) == {"seed001", "sh2019"}
    companions = {fmt: sum(r.null_policy == "children_null_as_zero" for r in rs)
                  for fmt, rs in RULE_SET.rules.items()}  # fmt: skip
    counts = frame["report_key"].value_counts().to_dict()
    assert counts["seed001"] == len(RULE_SET.rules["old"]) + companions["old"]
    assert counts["sh2019"] == len(RULE_SET.rules["v2019"]) + companions["v2019"]
    press = frame[(frame.report_key == "seed001") & (frame.rule_id == "old.subset_press_principal")]
    assert press["outcome"].tolist() == ["failed"]
    balance = frame[(frame.report_key == "sh2019") & (frame.rule_family == "v2019.t3.balance")]
    assert set(balance["outcome"]) == {"passed", "not_assessable"}
    assert not frame.duplicated(["report_key", "rule_id"]).any()


def test_evaluate_warehouse_on_an_empty_warehouse(mart_con: duckdb.DuckDBPyConnection) -> None:
    frame = rules.evaluate_warehouse(mart_con)
    assert frame.empty
    assert tuple(frame.columns) == rules.RESULT_COLUMNS
    assert str(frame["difference"].dtype) == "float64"
