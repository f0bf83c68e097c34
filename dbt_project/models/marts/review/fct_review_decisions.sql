{#
    One row per decision of the reviewers' log (raw.review_decisions), undo
    rows included, with what became of it:
      applied   - it stands and the marts use it
      replaced  - a later decision about the same item (and kind) stands
      undone    - an undo took it back
      undo      - the row is itself an undo
      stale     - it stands, but the bytes it was made on are no longer the
                  current version of their report (the file changed), or
                  the item is gone from the current report: shown, not
                  applied
#}

with

decisions as (

    select * from {{ ref('stg_raw__review_decisions') }}

),

standing as (

    select * from {{ ref('int_review_decisions_latest') }}

),

reports as (

    select * from {{ ref('dim_reports') }}

),

cells as (

    select * from {{ ref('fct_report_cells') }}

),

rule_results as (

    select * from {{ ref('fct_rule_results') }}

),

current_items as (

    {# only the items someone decided about: a semi-join on the few decided
       ids, not a distinct over every cell of the warehouse #}
    select distinct review_item_id as item_id
    from cells
    where
        is_current_report
        and review_item_id in (  -- noqa: RF02
            select decisions.item_id from decisions
        )
    union
    select review_item_id from rule_results
    where
        review_item_id in (  -- noqa: RF02
            select decisions.item_id from decisions
        )
    union
    select {{ review_item_id('r', 'report_sha256') }}
    from reports
    where is_current

),

undone as (

    select distinct undone_decision_id as decision_id
    from decisions
    where action = 'undo'

),

classified as (

    select
        ---------- ids
        decisions.decision_id,
        decisions.item_id,
        decisions.undone_decision_id,
        {{ surrogate_key(['decisions.report_sha256']) }} as report_key,
        decisions.report_sha256,

        ---------- attributes
        decisions.action,
        decisions.item_kind,
        case
            when decisions.action = 'undo' then 'undo'
            when undone.decision_id is not null then 'undone'
            when standing.decision_id is null then 'replaced'
            when not coalesce(reports.is_current, false) then 'stale'
            when current_items.item_id is null then 'stale'
            else 'applied'
        end as review_state,
        case
            when
                decisions.action = 'undo' or undone.decision_id is not null
                or standing.decision_id is null then null
            when reports.report_sha256 is null
                then 'the file it was made on is no longer loaded'
            when not reports.is_current
                then
                    'the file changed: its bytes are no longer the current'
                    || ' version'
            when current_items.item_id is null
                then 'the item is not in the current report any more'
        end as stale_reason,

        ---------- text
        decisions.decided_value,
        decisions.value_as_read,
        decisions.note,
        decisions.reviewer,
        decisions.locator,
        reports.file_name,
        reports.agency_name,
        reports.report_year,

        ---------- timestamps
        decisions.decided_at

    from decisions
    left join undone
        on decisions.decision_id = undone.decision_id
    left join standing
        on decisions.decision_id = standing.decision_id
    left join reports
        on decisions.report_sha256 = reports.report_sha256
    left join current_items
        on decisions.item_id = current_items.item_id

)

select * from classified
