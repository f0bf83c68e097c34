-- Batch of the suite rule_results: the failed rule results (findings) with their report.
-- Only what the expectations read (rule_family, difference) and what the finding text is
-- made of: the evidence and the English message stay in the warehouse.
select
    f.report_key, f.rule_id, f.rule_family, f.outcome, f.difference, f.report_year,
    f.message_zh, r.agency_name
from main.fct_rule_results as f
left join main.dim_reports as r on f.report_key = r.report_key
where f.outcome = 'failed'
order by f.report_key, f.rule_id
