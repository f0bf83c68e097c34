-- Batch of the suite dim_reports: one row per report version with its publication lag.
select
    report_key, format, report_year, agency_name, admin_level, status, is_current,
    date_diff('day', make_date(report_year, 12, 31), published_on) as publication_lag_days
from main.dim_reports
