{#
    Conformed measures per agency and year, in long form. Only current
    versions of an agency's own reports count: region-wide summary reports
    (report_scope = 'aggregate') are never added to their member agencies,
    and reports without a year cannot be placed in one. A report whose agency
    is unknown is kept under an agency key of its own (is_agency_unknown), so
    its numbers still count in the totals of its region when the region is
    known. Versioning keeps one current own report per (agency, year), so the
    grain is unique.
#}

{{ config(materialized='incremental', unique_key='report_key') }}

with

report_measures as (

    select * from {{ ref('int_report_measures') }}

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}
    where report_sha256 in (
        select rebuilt.report_sha256
        from {{ ref('int_reports_to_rebuild') }} as rebuilt
    )

),

agency_year_reports as (

    select *
    from report_versions
    where
        is_current
        and not is_aggregate
        and report_year is not null

),

measure_values as (

    select
        ---------- ids
        {{ surrogate_key([
            'agency_year_reports.agency_key',
            'agency_year_reports.report_year',
            'report_measures.measure_code',
        ]) }} as agency_year_measure_key,
        {{ surrogate_key([
            'agency_year_reports.agency_key',
            'agency_year_reports.report_year',
        ]) }} as agency_year_key,
        agency_year_reports.agency_key,
        agency_year_reports.report_key,
        {{ surrogate_key(['report_measures.format_id']) }} as format_key,
        {{ surrogate_key(['report_measures.measure_code']) }} as measure_key,

        ---------- attributes
        agency_year_reports.report_year,
        report_measures.measure_code,
        report_measures.format_id,
        report_measures.comparability,
        report_measures.metric_codes,

        ---------- numerics
        {# NULL = not reported or no equivalent in the format; 0 = reported 0 #}
        report_measures.value,
        report_measures.component_count,
        report_measures.present_cell_count,

        ---------- booleans
        report_measures.has_derived_total,
        agency_year_reports.is_agency_unknown

    from report_measures
    inner join agency_year_reports
        on report_measures.report_sha256 = agency_year_reports.report_sha256

)

select * from measure_values
