{{ config(materialized='incremental', unique_key='report_key') }}

with

reports_to_rebuild as (

    select report_sha256 from {{ ref('int_reports_to_rebuild') }}

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

cells as (

    select * from {{ ref('stg_raw__cells') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

issues as (

    select * from {{ ref('stg_raw__issues') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

narrative_facts as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

table_coverage as (

    select * from {{ ref('stg_raw__table_coverage') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

unread_cells as (

    select * from {{ ref('stg_raw__unread_cells') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

cell_counts as (

    select
        report_sha256,
        count(*) as cell_count,
        count(*) filter (where value is null) as blank_cell_count,
        {# a cell of the template given a value or a printed blank #}
        count(*) filter (where metric_code is not null) as template_cell_count

    from cells
    group by report_sha256

),

coverage_counts as (

    select
        report_sha256,
        cast(sum(cells_expected) as bigint) as cells_expected,
        count(*) filter (where is_truncated) as tables_cut,
        count(*) filter (where not is_present) as tables_missing,
        string_agg(coverage_reason, '; ' order by table_no)
            as coverage_note

    from table_coverage
    group by report_sha256

),

unread_counts as (

    select
        report_sha256,
        count(distinct metric_code) filter (
            where reason <> 'ocr_unverified'
        ) as cells_unread,
        count(distinct metric_code) filter (
            where reason = 'ocr_unverified'
        ) as cells_unverified

    from unread_cells
    group by report_sha256

),

issue_counts as (

    select
        report_sha256,
        count(*) as issue_count,
        count(*) filter (where severity = 'error') as error_issue_count

    from issues
    group by report_sha256

),

narrative_fact_counts as (

    select
        report_sha256,
        count(*) as narrative_fact_count

    from narrative_facts
    group by report_sha256

),

reports as (

    select
        ---------- ids
        report_versions.report_key,
        report_versions.report_sha256,
        report_versions.agency_key,
        {{ surrogate_key(["coalesce(report_versions.format, 'unknown')"]) }}
            as format_key,
        case
            when report_versions.region_code is not null
                then {{ surrogate_key(['report_versions.region_code']) }}
        end as region_key,

        ---------- file
        report_versions.source_path,
        report_versions.file_name,
        report_versions.raw_path,
        report_versions.source_url,
        report_versions.http_status,
        report_versions.file_url,
        report_versions.anchor_text,
        report_versions.page_title,
        report_versions.breadcrumb,

        ---------- attributes
        report_versions.format,
        report_versions.report_year,
        coalesce(report_versions.agency_name, '(unknown)') as agency_name,
        report_versions.admin_level,
        report_versions.published_on,
        report_versions.status,
        report_versions.title,
        report_versions.agency_org_code,
        report_versions.body_type,
        report_versions.region_code,
        {# the evidence of who published it and where (issue 27) #}
        report_versions.region_signal,
        report_versions.region_snippet,
        report_versions.agency_compiler,
        report_versions.report_scope,
        {# the aggregate (汇总) flag's evidence: aggregate reports are left
           out of fct_agency_year_measures #}
        report_versions.report_scope_as_read,
        report_versions.scope_reason,
        report_versions.scope_evidence,
        report_versions.period_start,
        report_versions.period_end,
        report_versions.container,
        report_versions.duplicate_of_sha256,
        {# the report's id for a reviewer's override of agency, year, 汇总 #}
        {{ review_item_id('r', 'report_versions.report_sha256') }}
            as review_item_id,

        ---------- numerics (counts of rows, so 0 when there are none)
        coalesce(cell_counts.cell_count, 0) as cell_count,
        coalesce(cell_counts.blank_cell_count, 0) as blank_cell_count,
        coalesce(issue_counts.issue_count, 0) as issue_count,
        coalesce(issue_counts.error_issue_count, 0) as error_issue_count,
        coalesce(narrative_fact_counts.narrative_fact_count, 0)
            as narrative_fact_count,

        ---------- completeness (the extractor's table coverage)
        {# cells of the printed part of each table; read = given a value or
           a printed blank; unread = value not assigned to a column #}
        coalesce(coverage_counts.cells_expected, 0) as cells_expected,
        coalesce(cell_counts.template_cell_count, 0) as cells_read,
        coalesce(unread_counts.cells_unread, 0) as cells_unread,
        coalesce(unread_counts.cells_unverified, 0) as cells_unverified,
        coalesce(coverage_counts.tables_cut, 0) as tables_cut,
        coalesce(coverage_counts.tables_missing, 0) as tables_missing,
        coverage_counts.coverage_note,

        ---------- timestamps
        report_versions.landed_at,
        report_versions.fetched_at,
        report_versions.extracted_at,

        ---------- booleans
        report_versions.is_current,
        report_versions.is_superseded,
        report_versions.is_duplicate,
        report_versions.is_aggregate

    from report_versions
    left join cell_counts
        on report_versions.report_sha256 = cell_counts.report_sha256
    left join issue_counts
        on report_versions.report_sha256 = issue_counts.report_sha256
    left join narrative_fact_counts
        on report_versions.report_sha256 = narrative_fact_counts.report_sha256
    left join coverage_counts
        on report_versions.report_sha256 = coverage_counts.report_sha256
    left join unread_counts
        on report_versions.report_sha256 = unread_counts.report_sha256

)

select * from reports
