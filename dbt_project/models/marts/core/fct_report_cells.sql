{{ config(
    materialized='incremental',
    unique_key='report_key',
    meta={'tests_rebuilt_rows_only': true},
) }}

with

cells as (

    {# the extracted cells (reviewed), and the unread cells a neighbouring
       year's report settled (value_source 'cross_year') #}
    select * from {{ ref('int_cells_reviewed') }}
    union all by name
    select * from {{ ref('int_cells_resolved_cross_year') }}

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

metrics as (

    select * from {{ ref('dim_metrics') }}

),

report_cells as (

    select
        ---------- ids
        {{ surrogate_key(['cells.report_sha256', 'cells.cell_no']) }}
            as report_cell_key,
        {{ surrogate_key(['cells.report_sha256']) }} as report_key,
        {# NULL for non-standard rows and for codes missing from the
           dictionary (the latter is flagged by a warning test) #}
        metrics.metric_key,
        report_versions.agency_key,
        {{ surrogate_key(["coalesce(report_versions.format, 'unknown')"]) }}
            as format_key,
        {# the applicant column of a table-三 cell; every other cell is
           'not_applicable' #}
        {{ surrogate_key(["coalesce(metrics.column_key, 'not_applicable')"]) }}
            as applicant_type_key,

        ---------- attributes
        report_versions.report_year,
        cells.metric_code,

        ---------- position
        cells.table_no,
        cells.row_no,
        cells.column_no,
        cells.cell_no,
        cells.row_label,
        cells.column_label,

        ---------- numerics
        {# blank stays NULL; a reported 0 stays 0. value is what the warehouse
           uses (a reviewer's decision applied), value_as_read what was read #}
        cells.value,
        cells.value_as_read,
        (cells.value is null) as is_blank,
        {# NULL unless the cell was read by OCR (its locator has page and
           box) #}
        cells.ocr_confidence,

        ---------- text
        cells.raw_text,
        cells.locator,

        ---------- review
        {# text | ocr | ocr_corrected | reviewer | cross_year #}
        cells.value_source,
        cells.review_item_id,
        cells.review_decision_id,
        cells.review_action,
        cells.review_note,
        cells.reviewer,
        cells.cross_year_report_key,
        cells.cross_year_evidence,

        ---------- natural key and flags
        cells.report_sha256,
        coalesce(report_versions.is_current, false) as is_current_report,
        coalesce(report_versions.is_aggregate, false) as is_aggregate_report

    from cells
    left join report_versions
        on cells.report_sha256 = report_versions.report_sha256
    left join metrics
        on cells.metric_code = metrics.metric_code

)

select * from report_cells
