-- Batch of the suite fct_rule_results: one row per report, the structure of its rule
-- results as counts that must be 0 (missing/extra results, lhs - rhs, messages, evidence)
-- and the share of assessable table rules. One result per report and rule is dbt's test
-- (unique rule_result_key), not repeated here.
with expected as (
    select r.report_key, any_value(r.format) as format, count(d.rule_id) as rule_count
    from main.dim_reports as r
    join main.dim_rules as d on d.format_id = r.format or d.format_id = 'any'
    where r.is_current
    group by r.report_key
), actual as (
    select
        report_key,
        count(*) as rule_count,
        count(*) filter (where abs(difference - (lhs - rhs)) > 1e-6) as difference_mismatches,
        count(*) filter (where message_zh is null or message_en is null) as missing_messages,
        count(*) filter (where not regexp_matches(evidence, '^[\[{]')) as malformed_evidence,
        count(*) filter (where outcome = 'failed' and evidence is null)
            as failures_without_evidence,
        count(*) filter (where rule_kind not in ('manual', 'report_check')
            and outcome <> 'not_assessable') as assessed_rules,
        count(*) filter (where rule_kind not in ('manual', 'report_check')) as checkable_rules
    from main.fct_rule_results
    group by report_key
)
select
    coalesce(e.report_key, a.report_key) as report_key,
    e.format,
    coalesce(a.rule_count, 0) - coalesce(e.rule_count, 0) as surplus_results,
    a.difference_mismatches, a.missing_messages, a.malformed_evidence,
    a.failures_without_evidence,
    a.assessed_rules / nullif(a.checkable_rules, 0) as assessed_share
from expected as e
full outer join actual as a on e.report_key = a.report_key
