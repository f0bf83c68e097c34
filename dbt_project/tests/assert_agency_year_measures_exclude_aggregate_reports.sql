{#
    Region-wide summary (汇总) reports are never added to member agencies:
    no agency-year measure comes from an aggregate, superseded or
    non-current report.
#}

select
    measure_values.agency_year_measure_key,
    reports.report_sha256

from {{ ref('fct_agency_year_measure_values') }} as measure_values
inner join {{ ref('dim_reports') }} as reports
    on measure_values.report_key = reports.report_key
where reports.is_aggregate or not reports.is_current
