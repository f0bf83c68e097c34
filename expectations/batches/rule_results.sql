-- Batch of the suite rule_results: the failed rule results (findings) with their report.
-- Only what the expectations read (rule_family, difference) and what the finding text is
-- made of (file, agency, year, rule, message): the evidence and the English message stay
-- in the warehouse. A finding a reviewer dismissed as a false alarm is not a failure here.
select
    f.report_key, f.rule_id, f.rule_family, f.outcome, f.difference, f.report_year,
    f.message_zh, r.agency_name, r.file_name
from main.fct_rule_results as f
left join main.dim_reports as r on f.report_key = r.report_key
where f.outcome = 'failed' and coalesce(f.review_status, 'open') <> 'dismissed'
order by f.report_key, f.rule_id
