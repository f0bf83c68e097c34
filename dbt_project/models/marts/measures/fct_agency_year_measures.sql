{#
    One row per agency and year with one column per conformed measure: the
    long fct_agency_year_measure_values pivoted. The measure columns come
    from the data (DuckDB PIVOT without an IN list), so a new crosswalk
    measure is a new column without a code change; one placeholder row per
    measure of dim_measures makes every column exist even when no report
    has that measure (or no report at all), and is dropped afterwards.
    Columns are in alphabetical order of the measure code.
#}

{{ config(materialized='incremental', unique_key='report_key') }}

with

measure_values as (

    select * from {{ ref('fct_agency_year_measure_values') }}
    where report_key in (
        select rebuilt.report_key
        from {{ ref('int_reports_to_rebuild') }} as rebuilt
    )

),

measures as (

    select * from {{ ref('dim_measures') }}

),

agency_years as (

    select distinct
        ---------- ids
        agency_year_key,
        agency_key,
        report_key,
        format_key,

        ---------- attributes
        report_year,
        format_id,

        ---------- booleans
        is_agency_unknown

    from measure_values

),

approximations as (

    select
        agency_year_key,
        string_agg(measure_code, ',' order by measure_code)
        filter (where comparability = 'approximate' and value is not null)
            as approximate_measure_codes

    from measure_values
    group by agency_year_key

),

pivot_input as (

    select
        agency_year_key,
        measure_code,
        value
    from measure_values

    union all

    select
        null as agency_year_key,
        measure_code,
        null as value
    from measures

),

pivoted as (

    pivot pivot_input
    on measure_code
    using first(value)
    group by agency_year_key

),

agency_year_measures as (

    select
        agency_years.*,
        approximations.approximate_measure_codes,
        pivoted.* exclude (agency_year_key)  -- noqa: RF02

    from agency_years
    inner join approximations
        on agency_years.agency_year_key = approximations.agency_year_key
    inner join pivoted
        on agency_years.agency_year_key = pivoted.agency_year_key

)

select * from agency_year_measures
