-- Batch of the suite rule_results: the failed rule results (findings) with their report.
select f.*, r.agency_name, r.file_name
from main.fct_rule_results as f
left join main.dim_reports as r on f.report_key = r.report_key
where f.outcome = 'failed'
order by f.report_key, f.rule_id
