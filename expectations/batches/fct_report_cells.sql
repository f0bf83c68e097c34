-- Batch of the suite fct_report_cells: one row per report (a NULL report_key groups
-- orphan cells), with counts that must be 0 and the share of filled cells. Unknown metric
-- codes are dbt's test (relationships to dim_metrics), not repeated here.
with metric_types as (
    select metric_code, any_value(value_type) as value_type
    from main.dim_metrics
    group by metric_code
), cells as (
    select
        c.report_key, c.value, c.raw_text, m.value_type = 'count' as is_count
    from main.fct_report_cells as c
    left join metric_types as m on c.metric_code = m.metric_code
)
select
    c.report_key, any_value(r.format) as format, count(*) as cell_count,
    count(*) filter (where c.is_count and c.value < 0) as negative_counts,
    count(*) filter (where c.is_count and c.value <> floor(c.value)) as non_integer_counts,
    count(*) filter (where c.value is not null and c.raw_text is null) as values_without_raw_text,
    count(c.value) / count(*) as value_share
from cells as c
left join main.dim_reports as r on c.report_key = r.report_key
group by c.report_key
