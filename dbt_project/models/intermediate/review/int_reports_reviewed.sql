{#
    One row per extracted report file version (stg_raw__reports) with the
    reviewers' overrides applied: agency, year and aggregate (汇总) flag. The
    values as read stay beside them. An override applies to the bytes it was
    made on (its report_sha256), so a changed file is not overridden.
#}

with

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

decisions as (

    select * from {{ ref('int_review_decisions_latest') }}
    where item_kind = 'report'

),

overrides as (

    select
        item_id,
        report_sha256,
        max(decided_value) filter (where action = 'override_agency')
            as agency_override,
        max(try_cast(decided_value as integer))
        filter (where action = 'override_year') as year_override,
        max(
            case
                when lower(decided_value) in ('true', 'yes', '1', 'aggregate')
                    then 'aggregate'
                when lower(decided_value) in ('false', 'no', '0', 'own')
                    then 'own'
            end
        ) filter (where action = 'override_aggregate') as scope_override,
        max(coalesce(note, decided_value) || ' (' || reviewer || ')')
        filter (where action = 'override_aggregate') as scope_override_note

    from decisions
    group by item_id, report_sha256

),

reviewed as (

    select
        reports.* replace (
            coalesce(overrides.agency_override, reports.agency_name)
                as agency_name,
            coalesce(overrides.agency_override, reports.agency_qualified)
                as agency_qualified,
            case
                when overrides.agency_override is not null then 'reviewer'
                else reports.agency_signal
            end as agency_signal,
            case
                when overrides.agency_override is not null then 1.0
                else reports.agency_confidence
            end as agency_confidence,
            coalesce(overrides.year_override, reports.report_year)
                as report_year,
            coalesce(overrides.scope_override, reports.report_scope)
                as report_scope,
            case
                when overrides.scope_override is not null
                    then '审核员 reviewer: ' || overrides.scope_override_note
                else reports.scope_evidence
            end as scope_evidence
        ),

        ---------- as read, before the overrides
        reports.agency_name as agency_name_as_read,
        reports.report_year as report_year_as_read,
        reports.report_scope as report_scope_as_read,

        ---------- booleans
        {# the reviewer decided the 汇总 flag: no other report's text
           overturns it #}
        (overrides.scope_override is not null) as is_scope_overridden,
        (
            overrides.agency_override is not null
            or overrides.year_override is not null
            or overrides.scope_override is not null
        ) as is_overridden_by_reviewer

    from reports
    left join overrides
        on
            {{ review_item_id('r', 'reports.report_sha256') }}
            = overrides.item_id
            and reports.report_sha256 = overrides.report_sha256

)

select * from reviewed
