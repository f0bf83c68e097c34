{#
    One row per report file version whose rows the report-keyed marts
    rebuild in this build: the reports whose state (int_report_states)
    differs from the one the marts were last built from (new, changed,
    superseded, given another agency identity or scope, reviewed, or gone
    from the warehouse), and every report of the same agency, under its
    identity before or after the change, in the years around a changed one.

    The neighbour years, from year - 1 to year + 2: the rules compare a
    report with the same agency's previous year (prev() operands, the
    previous report found among the agency's current reports), and a value
    resolved from a neighbour year (value_source 'cross_year') is read by the
    next year's rules in turn; so a change in year y can change the rows of
    y - 1 (its next year is y), y + 1 (its previous year is y) and y + 2 (its
    previous year's resolved values). When year N + 1 arrives, the reports
    of N and the new ones are rebuilt; N + 2 does not exist yet.

    On a full build (--full-refresh, the first build, a model or seed changed:
    macro rebuilds_changes_only) nothing counts as built, so every report is
    here.
#}

with

report_states as (

    select * from {{ ref('int_report_states') }}

),

built_states as (

    {% if rebuilds_changes_only() %}
        select * from {{ built_report_states() }}
    {% else %}
        {# a full build: nothing is built yet #}
        select
            report_sha256,
            report_key,
            agency_key,
            report_year,
            state_digest
        from report_states
        where false
    {% endif %}

),

changed_reports as (

    select
        ---------- ids
        coalesce(report_states.report_key, built_states.report_key)
            as report_key,
        coalesce(report_states.report_sha256, built_states.report_sha256)
            as report_sha256,

        ---------- before and after
        report_states.agency_key,
        report_states.report_year,
        built_states.agency_key as built_agency_key,
        built_states.report_year as built_report_year,

        ---------- attributes
        case
            when built_states.report_sha256 is null then 'new'
            when report_states.report_sha256 is null then 'removed'
            else 'changed'
        end as rebuild_reason

    from report_states
    full outer join built_states
        on report_states.report_sha256 = built_states.report_sha256
    where report_states.state_digest is distinct from built_states.state_digest

),

changed_agency_years as (

    select
        agency_key,
        report_year
    from changed_reports
    where agency_key is not null and report_year is not null

    union

    select
        built_agency_key as agency_key,
        built_report_year as report_year
    from changed_reports
    where built_agency_key is not null and built_report_year is not null

),

neighbour_reports as (

    select distinct
        report_states.report_key,
        report_states.report_sha256,
        'neighbour_year' as rebuild_reason

    from report_states
    inner join changed_agency_years
        on
            report_states.agency_key = changed_agency_years.agency_key
            and report_states.report_year
            between changed_agency_years.report_year - 1
            and changed_agency_years.report_year + 2

),

reports_to_rebuild as (

    select
        report_key,
        report_sha256,
        rebuild_reason
    from changed_reports

    union all

    select
        report_key,
        report_sha256,
        rebuild_reason
    from neighbour_reports
    where
        report_sha256 not in (  -- noqa: RF02
            select changed_reports.report_sha256 from changed_reports
        )

)

select * from reports_to_rebuild
