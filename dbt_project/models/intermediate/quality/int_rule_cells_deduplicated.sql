{#
    One row per current report and metric code: the value the rules use. A
    code printed twice keeps its first non-blank cell (by cell_no), with that
    cell's raw text and locator as evidence.
#}

with

cells as (

    select * from {{ ref('fct_report_cells') }}

),

report_cells as (

    select
        ---------- ids
        report_key,
        metric_code,

        ---------- position
        table_no,
        cell_no,
        row_label,
        locator,

        ---------- values
        value,
        raw_text

    from cells
    where is_current_report and metric_code is not null
    qualify row_number() over (
        partition by report_key, metric_code
        order by value is null, cell_no
    ) = 1

)

select * from report_cells
