{#
    Conformed measures of every report file version, driven by the
    crosswalk seed: one row per version × measure. No measure is named here,
    so a new crosswalk row is a new measure.

    1. One value per report and metric code: the first printed cell wins
       (a blank cell never hides a printed one).
    2. A table-三 row total (总计 column) left blank or missing is the sum of
       the row's applicant columns when any of them is printed (Shanghai-style
       reports leave 总计 blank). The organisation subtotal stands in for the
       five organisation columns only when none of them is printed.
    3. The codes of the crosswalk row for the version's format are summed.
       sum() ignores NULL operands and is NULL when all are NULL, so a blank
       cell never becomes 0, a measure of several cells is NULL only when all
       of them are, and a format without an equivalent (not_comparable, no
       codes) gives NULL.

    Cells come from fct_report_cells, so a reviewer's decided value is used.
    Only the reports this build rebuilds (int_reports_to_rebuild), for the
    incremental fct_agency_year_measure_values.
#}

with

reports_to_rebuild as (

    select report_sha256 from {{ ref('int_reports_to_rebuild') }}

),

cells as (

    select * from {{ ref('fct_report_cells') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

crosswalk as (

    select * from {{ ref('dictionary_crosswalk') }}

),

metric_values as (

    select
        report_sha256,
        metric_code,
        {# the first printed cell: the lowest cell_no with a value #}
        arg_min(value, cell_no) filter (where value is not null) as value

    from cells
    where metric_code is not null
    group by report_sha256, metric_code

),

t3_cells as (

    select
        report_sha256,
        {# t3_<row_key>__<column_key>; string functions, not regexps: this
           runs on most cells #}
        substr(split_part(metric_code, '__', 1), 4) as row_key,
        split_part(metric_code, '__', 2) as column_key,
        value

    from metric_values
    where starts_with(metric_code, 't3_')

),

t3_rows as (

    select
        report_sha256,
        row_key,
        max(value) filter (where column_key = 'total') as printed_total,
        sum(value) filter (where column_key = 'natural_person')
            as natural_person_value,
        sum(value) filter (where column_key in (
            'org_commercial', 'org_research', 'org_social_welfare',
            'org_legal_service', 'org_other'
        )) as organisation_value,
        max(value) filter (where column_key = 'org_subtotal')
            as organisation_subtotal

    from t3_cells
    group by report_sha256, row_key

),

t3_row_totals as (

    select
        report_sha256,
        't3_' || row_key || '__total' as metric_code,
        printed_total,
        case
            when
                natural_person_value is not null
                or coalesce(organisation_value, organisation_subtotal)
                is not null
                then
                    coalesce(natural_person_value, 0)
                    + coalesce(organisation_value, organisation_subtotal, 0)
        end as applicant_sum

    from t3_rows

),

resolved_values as (

    select
        report_sha256,
        metric_code,
        value,
        false as is_derived

    from metric_values
    where
        not (
            starts_with(metric_code, 't3_') and suffix(metric_code, '__total')
        )

    union all

    select
        report_sha256,
        metric_code,
        coalesce(printed_total, applicant_sum) as value,
        (printed_total is null and applicant_sum is not null) as is_derived

    from t3_row_totals

),

crosswalk_components as (

    select
        measure_code,
        format_id,
        unnest(string_split(metric_codes, '+')) as metric_code

    from crosswalk
    where metric_codes is not null

),

version_measures as (

    {# every version gets every measure; formats without tables give NULL #}
    select
        report_versions.report_sha256,
        crosswalk.format_id,
        crosswalk.measure_code,
        crosswalk.comparability,
        crosswalk.metric_codes,
        crosswalk.component_count

    from report_versions
    inner join crosswalk
        on coalesce(report_versions.format, 'unknown') = crosswalk.format_id

),

measures_composed as (

    select
        ---------- ids
        version_measures.report_sha256,
        version_measures.measure_code,
        version_measures.format_id,

        ---------- numerics
        sum(resolved_values.value) as value,
        count(resolved_values.value) as present_cell_count,
        version_measures.component_count,

        ---------- attributes
        version_measures.comparability,
        version_measures.metric_codes,

        ---------- booleans
        coalesce(bool_or(resolved_values.is_derived), false)
            as has_derived_total

    from version_measures
    left join crosswalk_components
        on
            version_measures.measure_code = crosswalk_components.measure_code
            and version_measures.format_id = crosswalk_components.format_id
    left join resolved_values
        on
            version_measures.report_sha256 = resolved_values.report_sha256
            and crosswalk_components.metric_code = resolved_values.metric_code
    group by
        version_measures.report_sha256,
        version_measures.measure_code,
        version_measures.format_id,
        version_measures.component_count,
        version_measures.comparability,
        version_measures.metric_codes

)

select * from measures_composed
