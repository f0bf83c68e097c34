{#
    One row per current report and metric code: the value the rules use. A
    code printed twice keeps its first non-blank cell (by cell_no), with that
    cell's raw text and locator as evidence. Only the reports the rules read
    in this build: those judged (int_rule_reports_joined) and their previous
    years.
#}

with

reports as (

    select * from {{ ref('int_rule_reports_joined') }}

),

reports_read as (

    select report_key from reports
    union
    select previous_report_key from reports
    where previous_report_key is not null

),

cells as (

    select * from {{ ref('fct_report_cells') }}
    where report_key in (
        select reports_read.report_key from reports_read
    )

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
