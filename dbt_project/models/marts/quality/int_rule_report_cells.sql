{#
    One row per current report and metric code: the value the rules use. A
    code printed twice keeps its first non-blank cell (by cell_no), with that
    cell's raw text and locator as evidence.
#}

with

cells as (

    select * from {{ ref('fct_report_cells') }}

),

coded_cells as not materialized (

    {# read three times below: NOT MATERIALIZED keeps DuckDB from copying
       every cell into memory #}
    select
        report_key,
        metric_code,
        table_no,
        cell_no,
        row_label,
        locator,
        value,
        raw_text,

    from cells
    where is_current_report and metric_code is not null

),

repeated_codes as (

    {# a code printed more than once in a report: rare. Ranking only these
       cells spares sorting every cell with its text at scale. #}
    select
        report_key,
        metric_code,

    from coded_cells
    group by report_key, metric_code
    having count(*) > 1

),

single_cells as (

    select coded_cells.*

    from coded_cells
    left join repeated_codes
        on coded_cells.report_key = repeated_codes.report_key
        and coded_cells.metric_code = repeated_codes.metric_code
    where repeated_codes.report_key is null

),

first_of_repeated_cells as (

    select coded_cells.*

    from coded_cells
    inner join repeated_codes
        on coded_cells.report_key = repeated_codes.report_key
        and coded_cells.metric_code = repeated_codes.metric_code
    qualify row_number() over (
        partition by coded_cells.report_key, coded_cells.metric_code
        order by coded_cells.value is null, coded_cells.cell_no
    ) = 1

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
        raw_text,

    from single_cells

    union all

    select
        report_key,
        metric_code,
        table_no,
        cell_no,
        row_label,
        locator,
        value,
        raw_text,

    from first_of_repeated_cells

)

select * from report_cells
