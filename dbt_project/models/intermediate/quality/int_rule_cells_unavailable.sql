{#
    One row per current report and metric code whose value the report does
    not give and is not blank either, so a rule needing it is not
    assessable: a cell the report does not hold (absent: after the cut of a
    copy that stops inside its table, or of a table the copy lacks), or a
    cell the reader left unread (its row's values could not be assigned to
    columns) that neither a reviewer nor a neighbouring year resolved. A
    printed blank is not here: it keeps its rule's null policy. Only the
    reports the rules read in this build: those judged
    (int_rule_reports_joined) and their previous years.
#}

with

reports as (

    select * from {{ ref('int_rule_reports_joined') }}

),

coverage as (

    select * from {{ ref('stg_raw__table_coverage') }}

),

unread_cells as (

    select * from {{ ref('fct_unread_cells') }}

),

resolved_cells as (

    {# an unread cell a reviewer or a neighbouring year resolved is a cell
       of fct_report_cells #}
    select review_item_id from {{ ref('fct_report_cells') }}
    where value_source in ('reviewer', 'cross_year')

),

reports_read as (

    select reports.report_key from reports
    union
    select reports.previous_report_key from reports
    where reports.previous_report_key is not null

),

absent_cells as (

    select
        {{ surrogate_key(['coverage.report_sha256']) }} as report_key,
        unnest(coverage.absent_metric_codes) as metric_code,
        'operand_absent' as reason_code,
        coverage.coverage_reason as reason

    from coverage

),

unassigned_cells as (

    select
        report_key,
        metric_code,
        'operand_unread' as reason_code,
        locator || ' (' || row_label || ' › ' || column_label || ') unread, '
        || reason || ': ' || raw_text as reason

    from unread_cells
    where
        is_value_unassigned
        and report_key in (  -- noqa: RF02
            select reports_read.report_key from reports_read
        )
        -- the subquery is not a second table of this select
        and review_item_id not in (  -- noqa: RF02
            select resolved_cells.review_item_id from resolved_cells
        )

),

unavailable as (

    select * from absent_cells
    union all
    select * from unassigned_cells

),

current_unavailable as (

    {# absent before unread: a row cut away cannot be resolved by a reviewer #}
    select unavailable.*
    from unavailable
    inner join reports_read
        on unavailable.report_key = reports_read.report_key
    qualify row_number() over (
        partition by unavailable.report_key, unavailable.metric_code
        order by unavailable.reason_code
    ) = 1

)

select * from current_unavailable
