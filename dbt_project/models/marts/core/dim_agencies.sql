with

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

agency_reports as (

    select
        agency_key,
        coalesce(agency_name, '(unknown)') as agency_name,
        admin_level,
        is_current,

    from report_versions

),

admin_level_votes as (

    select
        agency_key,
        admin_level,
        count(*) as vote_count,

    from agency_reports
    where admin_level is not null and admin_level <> 'unknown'
    group by agency_key, admin_level

),

admin_levels_chosen as (

    {# most frequent known level; ties go to the alphabetically first #}
    select
        agency_key,
        admin_level,

    from admin_level_votes
    qualify row_number() over (
        partition by agency_key
        order by vote_count desc, admin_level
    ) = 1

),

agency_counts as (

    select
        agency_key,
        min(agency_name) as agency_name,
        count(*) filter (where is_current) as report_count,
        count(*) as report_version_count,

    from agency_reports
    group by agency_key

),

agencies as (

    select
        ---------- ids
        agency_counts.agency_key,
        agency_counts.agency_name,

        ---------- attributes
        coalesce(admin_levels_chosen.admin_level, 'unknown') as admin_level,

        ---------- numerics
        agency_counts.report_count,
        agency_counts.report_version_count,

    from agency_counts
    left join admin_levels_chosen
        on agency_counts.agency_key = admin_levels_chosen.agency_key

)

select * from agencies
