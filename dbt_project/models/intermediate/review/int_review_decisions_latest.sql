{#
    One row per item and kind of decision that stands: an undo takes its
    decision back (an undo is never undone: decide again instead), and of
    the rest the latest decision per item and kind wins. The kinds:
    finding_status (confirm / dismiss), cell_value (resolve / correct) and
    one per report override (override_agency, override_year,
    override_aggregate). Whether the decision applies (same bytes, current
    report) is decided where it is applied.
#}

with

decisions as (

    select * from {{ ref('stg_raw__review_decisions') }}

),

undone as (

    select distinct undone_decision_id as decision_id
    from decisions
    where action = 'undo' and undone_decision_id is not null

),

standing as (

    select
        *,
        case
            when action in ('confirm', 'dismiss') then 'finding_status'
            when action in ('resolve', 'correct') then 'cell_value'
            else action
        end as decision_kind

    from decisions
    where
        action <> 'undo'
        -- the subquery is not a second table of this select
        and decision_id not in (  -- noqa: RF02
            select undone.decision_id from undone
        )

),

latest as (

    select * from standing
    qualify row_number() over (
        partition by item_id, decision_kind
        order by decided_at desc, decision_id desc
    ) = 1

)

select * from latest
