{#
    One row per report file version × table × row × column the reader left
    unread (column_ambiguous: its row's values could not be assigned to
    columns) or read by OCR without an equality verifying it
    (ocr_unverified). unread_cell_id is stable across re-runs and extractor
    versions: the file's sha256 and the cell's metric code (its template row
    and column), not its position in the extraction. A cell a neighbouring
    year's report settled stays listed, marked is_resolved_cross_year.
#}

{{ config(materialized='incremental', unique_key='report_key') }}

with

unread_cells as (

    select * from {{ ref('stg_raw__unread_cells') }}
    where report_sha256 in (
        select rebuilt.report_sha256
        from {{ ref('int_reports_to_rebuild') }} as rebuilt
    )

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

metrics as (

    select * from {{ ref('dim_metrics') }}

),

cross_year as (

    select * from {{ ref('int_cells_resolved_cross_year') }}

),

one_per_cell as (

    {# a metric is one cell of the template: listed once per report #}
    select *
    from unread_cells
    qualify row_number() over (
        partition by report_sha256, metric_code order by unread_no
    ) = 1

),

report_unread_cells as (

    select
        ---------- ids
        {{ surrogate_key(['one_per_cell.report_sha256',
                          'one_per_cell.metric_code']) }} as unread_cell_id,
        {{ surrogate_key(['one_per_cell.report_sha256']) }} as report_key,
        {# the id a reviewer resolves it by: the cell's (fct_report_cells) #}
        {{ review_item_id('c', 'one_per_cell.report_sha256',
            ['one_per_cell.table_no', 'one_per_cell.row_no',
             'one_per_cell.column_no']) }} as review_item_id,
        metrics.metric_key,
        report_versions.agency_key,

        ---------- attributes
        report_versions.report_year,
        one_per_cell.metric_code,
        one_per_cell.reason,
        (one_per_cell.reason <> 'ocr_unverified') as is_value_unassigned,

        ---------- position
        one_per_cell.table_no,
        one_per_cell.row_no,
        one_per_cell.column_no,
        one_per_cell.unread_no,
        one_per_cell.row_label,
        one_per_cell.column_label,

        ---------- numerics
        one_per_cell.candidates,
        len(one_per_cell.candidates) as candidate_count,
        {# the candidate a neighbouring year's report left (fct_report_cells
           holds it as a cell, value_source 'cross_year') #}
        cross_year.value as cross_year_value,

        ---------- text
        one_per_cell.raw_text,
        one_per_cell.locator,
        report_versions.source_path,

        ---------- natural key and flags
        one_per_cell.report_sha256,
        coalesce(report_versions.is_current, false) as is_current_report,
        (cross_year.value is not null) as is_resolved_cross_year

    from one_per_cell
    left join report_versions
        on one_per_cell.report_sha256 = report_versions.report_sha256
    left join metrics
        on one_per_cell.metric_code = metrics.metric_code
    left join cross_year
        on
            one_per_cell.report_sha256 = cross_year.report_sha256
            and one_per_cell.metric_code = cross_year.metric_code

)

select * from report_unread_cells
