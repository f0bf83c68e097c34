{#
    One row per extracted table cell (stg_raw__cells) with the reviewers'
    value decisions applied: value_as_read is what the extractor read, value
    what the warehouse uses. A decision applies to the bytes it was made on
    (same report_sha256, still the current version of its report); any other
    is stale and leaves the cell as read. A cell read by OCR whose digit the
    table's arithmetic corrected (an ocr_corrected issue names its position)
    is 'ocr_corrected'. An unread cell (stg_raw__unread_cells) a reviewer
    resolved becomes a cell of its own (value_as_read NULL, value_source
    'reviewer'), unless the extractor has a cell in its place.

    Only the reports this build rebuilds (int_reports_to_rebuild: all of them
    on a full build), since fct_report_cells is incremental by report.
#}

{{ config(materialized='ephemeral') }}

with

reports_to_rebuild as (

    select report_sha256 from {{ ref('int_reports_to_rebuild') }}

),

cells as (

    select * from {{ ref('stg_raw__cells') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

unread_cells as (

    select * from {{ ref('stg_raw__unread_cells') }}
    where report_sha256 in (
        select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
    )

),

issues as (

    select * from {{ ref('stg_raw__issues') }}
    where
        code = 'ocr_corrected'
        and report_sha256 in (
            select rebuilt.report_sha256 from reports_to_rebuild as rebuilt
        )

),

decisions as (

    select * from {{ ref('int_review_decisions_latest') }}
    where decision_kind = 'cell_value'

),

current_decisions as (

    select decisions.*
    from decisions
    inner join report_versions
        on decisions.report_sha256 = report_versions.report_sha256
    where report_versions.is_current

),

ocr_corrected as (

    {# the checker's message starts with the cell's position: 'table 3, row
       2, column 7 (t3_...): OCR read ...' #}
    select distinct
        cells.report_sha256,
        cells.cell_no
    from cells
    inner join issues
        on
            cells.report_sha256 = issues.report_sha256
            and starts_with(
                issues.message, split_part(cells.locator, ', page', 1) || ' ('
            )
    where cells.ocr_confidence is not null

),

resolved_unread as (

    {# one per report and position; the extractor's own cell there wins #}
    select
        unread_cells.report_sha256,
        {# after every extracted cell: the report's order stays stable #}
        100000 + unread_cells.unread_no as cell_no,
        unread_cells.metric_code,
        unread_cells.table_no,
        unread_cells.row_no,
        unread_cells.column_no,
        cast(null as double) as value,
        cast(null as double) as ocr_confidence,
        unread_cells.raw_text,
        unread_cells.row_label,
        unread_cells.column_label,
        unread_cells.locator
    from unread_cells
    inner join current_decisions
        on
            {{ review_item_id('c', 'unread_cells.report_sha256',
            ['unread_cells.table_no', 'unread_cells.row_no',
             'unread_cells.column_no']) }} = current_decisions.item_id
            and unread_cells.report_sha256 = current_decisions.report_sha256
    where
        not exists (
            select 1 from cells
            where
                cells.report_sha256 = unread_cells.report_sha256
                and cells.table_no = unread_cells.table_no
                and cells.row_no = unread_cells.row_no
                and cells.column_no = unread_cells.column_no
        )
    qualify row_number() over (
        partition by
            unread_cells.report_sha256, unread_cells.table_no,
            unread_cells.row_no, unread_cells.column_no
        order by unread_cells.unread_no
    ) = 1

),

all_cells as (

    select * from cells
    union all by name
    select * from resolved_unread

),

reviewed as (

    select
        cells.* replace (
            case
                when current_decisions.decision_id is not null
                    then try_cast(
                        nullif(trim(current_decisions.decided_value), '')
                        as double
                    )
                else cells.value
            end as value
        ),

        ---------- review
        cells.value as value_as_read,
        case
            when current_decisions.decision_id is not null then 'reviewer'
            when ocr_corrected.cell_no is not null then 'ocr_corrected'
            when cells.ocr_confidence is not null then 'ocr'
            else 'text'
        end as value_source,
        {{ review_item_id('c', 'cells.report_sha256',
            ['cells.table_no', 'cells.row_no', 'cells.column_no']) }}
            as review_item_id,
        current_decisions.decision_id as review_decision_id,
        current_decisions.action as review_action,
        current_decisions.note as review_note,
        current_decisions.reviewer

    from all_cells as cells
    left join current_decisions
        on
            {{ review_item_id('c', 'cells.report_sha256',
            ['cells.table_no', 'cells.row_no', 'cells.column_no']) }}
            = current_decisions.item_id
            and cells.report_sha256 = current_decisions.report_sha256
    left join ocr_corrected
        on
            cells.report_sha256 = ocr_corrected.report_sha256
            and cells.cell_no = ocr_corrected.cell_no

)

select * from reviewed
