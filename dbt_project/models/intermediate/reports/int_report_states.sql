{#
    One row per report file version (int_reports_versioned) with a digest of
    everything the report-keyed marts take from the report itself: every
    field of its version (identity and agency as identified now, the
    current / superseded / duplicate flags, scope, landing and extraction
    times; a re-extraction, which replaces the report's raw rows, changes
    extracted_at) and the reviewers' decisions that stand for its bytes.
    Two builds that see the same digest give that report the same rows in
    the marts, except for what its same-agency neighbour years lend it
    (int_reports_to_rebuild adds those).
#}

with

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

decisions as (

    select * from {{ ref('int_review_decisions_latest') }}

),

report_decisions as (

    select
        report_sha256,
        string_agg(decision_id, ',' order by decision_id) as decision_ids

    from decisions
    group by report_sha256

),

report_states as (

    select
        ---------- ids
        report_versions.report_key,
        report_versions.report_sha256,
        report_versions.agency_key,

        ---------- attributes
        report_versions.report_year,

        ---------- digest
        {# the whole row of the version, as text: a column added to
           int_reports_versioned is part of the digest without a change here #}
        md5(
            cast(report_versions as varchar)  -- noqa: RF02
            || '|' || coalesce(report_decisions.decision_ids, '')
        ) as state_digest

    from report_versions
    left join report_decisions
        on report_versions.report_sha256 = report_decisions.report_sha256

)

select * from report_states
