{#
    One row per extracted table cell (stg_raw__cells) with the reviewers'
    value decisions applied: value_as_read is what the extractor read, value
    what the warehouse uses. A decision applies to the bytes it was made on
    (same report_sha256, still the current version of its report); any other
    is stale and leaves the cell as read. A cell read by OCR whose digit the
    table's arithmetic corrected (an ocr_corrected issue names its position)
    is 'ocr_corrected'.
#}

{{ config(materialized='ephemeral') }}

with

cells as (

    select * from {{ ref('stg_raw__cells') }}

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

issues as (

    select * from {{ ref('stg_raw__issues') }}
    where code = 'ocr_corrected'

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
        cells.cell_no,
    from cells
    inner join issues
        on cells.report_sha256 = issues.report_sha256
        and starts_with(
            issues.message, split_part(cells.locator, ', page', 1) || ' ('
        )
    where cells.ocr_confidence is not null

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
        current_decisions.reviewer,

    from cells
    left join current_decisions
        on {{ review_item_id('c', 'cells.report_sha256',
            ['cells.table_no', 'cells.row_no', 'cells.column_no']) }}
        = current_decisions.item_id
        and cells.report_sha256 = current_decisions.report_sha256
    left join ocr_corrected
        on cells.report_sha256 = ocr_corrected.report_sha256
        and cells.cell_no = ocr_corrected.cell_no

)

select * from reviewed
