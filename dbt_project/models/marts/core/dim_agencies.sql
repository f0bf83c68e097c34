{#
    One row per agency identity (int_agencies_identified): spellings that
    share a trusted organisation code, or a division and canonical name
    (int_agency_spellings), are one agency. A report whose agency is unknown
    is an agency of its own, named '(unknown) <file> #<sha256 prefix>'. Attributes are voted
    across the agency's report versions (most frequent known value); the name
    is the spelling of the latest report. The region comes from the
    extractor, else from the division code inside an 18-character credit
    code, else from the name (int_agency_regions_matched).
#}

with

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

name_matches as (

    select * from {{ ref('int_agency_regions_matched') }}

),

divisions as (

    select * from {{ ref('int_admin_divisions_leveled') }}

),

agency_reports as (

    select
        agency_key,
        agency_identity,
        {# an unknown agency is its report's own: named after the file #}
        coalesce(
            agency_name,
            '(unknown) '
            || coalesce(file_name, '?')
            || ' #'
            || left(report_sha256, 8)
        ) as agency_name,
        agency_qualified,
        township_code,
        is_agency_unknown,
        nullif(admin_level, 'unknown') as admin_level,
        body_type,
        region_code,
        regexp_replace(upper(agency_org_code), '[^0-9A-Z]', '', 'g')
            as printed_org_code,
        report_year,
        landed_at,
        is_current,
        is_aggregate

    from report_versions

),

agency_credit_codes as (

    {# an 18-character 统一社会信用代码; its characters 3–8 are a division #}
    select
        agency_key,
        printed_org_code as credit_code

    from agency_reports
    where length(printed_org_code) = 18

),

admin_levels as (

    {{ most_frequent('agency_reports', 'agency_key', 'admin_level') }}

),

body_types as (

    {{ most_frequent('agency_reports', 'agency_key', 'body_type') }}

),

extracted_regions as (

    {{ most_frequent('agency_reports', 'agency_key', 'region_code') }}

),

township_codes as (

    {{ most_frequent('agency_reports', 'agency_key', 'township_code') }}

),

credit_codes as (

    {{ most_frequent('agency_credit_codes', 'agency_key', 'credit_code') }}

),

latest_names as (

    select
        agency_key,
        agency_name,
        agency_qualified
    from agency_reports
    qualify row_number() over (
        partition by agency_key
        order by
            report_year desc nulls last, landed_at desc nulls last,
            agency_name asc
    ) = 1

),

agency_counts as (

    select
        agency_key,
        any_value(agency_identity) as agency_id,
        bool_and(is_agency_unknown) as is_unknown,
        string_agg(distinct agency_name, ' | ' order by agency_name)
            as name_variants,
        count(distinct agency_name) as name_variant_count,
        count(*) filter (where is_current) as report_count,
        count(*) filter (where is_current and is_aggregate)
            as aggregate_report_count,
        count(*) as report_version_count,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year

    from agency_reports
    group by agency_key

),

regions_resolved as (

    select
        agency_counts.agency_key,
        case
            when extracted_regions.region_code is not null then 'extracted'
            when credit_divisions.region_code is not null then 'credit_code'
            when name_matches.region_code is not null then 'name_match'
        end as region_code_source,
        coalesce(
            extracted_regions.region_code,
            credit_divisions.region_code,
            name_matches.region_code
        ) as region_code

    from agency_counts
    left join extracted_regions
        on agency_counts.agency_key = extracted_regions.agency_key
    left join credit_codes
        on agency_counts.agency_key = credit_codes.agency_key
    left join divisions as credit_divisions
        on substr(credit_codes.credit_code, 3, 6) = credit_divisions.region_code
    left join name_matches
        on agency_counts.agency_id = name_matches.agency_id

),

agencies as (

    select
        ---------- ids
        agency_counts.agency_key,
        agency_counts.agency_id,
        latest_names.agency_name,
        latest_names.agency_qualified,
        {# only a trusted code is an identity (int_agencies_identified) #}
        case
            when agency_counts.agency_id like 'org:%'
                then substr(agency_counts.agency_id, 5)
        end as organisation_code,
        credit_codes.credit_code,
        regions_resolved.region_code,
        township_codes.township_code,
        case
            when regions_resolved.region_code is not null
                then {{ surrogate_key(['regions_resolved.region_code']) }}
        end as region_key,

        ---------- attributes
        coalesce(
            admin_levels.admin_level, region_divisions.region_level, 'unknown'
        ) as admin_level,
        body_types.body_type,
        regions_resolved.region_code_source,
        agency_counts.name_variants,

        ---------- numerics
        agency_counts.name_variant_count,
        agency_counts.report_count,
        agency_counts.aggregate_report_count,
        agency_counts.report_version_count,
        agency_counts.first_report_year,
        agency_counts.last_report_year,

        ---------- booleans
        agency_counts.is_unknown

    from agency_counts
    inner join latest_names
        on agency_counts.agency_key = latest_names.agency_key
    left join admin_levels
        on agency_counts.agency_key = admin_levels.agency_key
    left join body_types
        on agency_counts.agency_key = body_types.agency_key
    left join township_codes
        on agency_counts.agency_key = township_codes.agency_key
    left join credit_codes
        on agency_counts.agency_key = credit_codes.agency_key
    left join regions_resolved
        on agency_counts.agency_key = regions_resolved.agency_key
    left join divisions as region_divisions
        on regions_resolved.region_code = region_divisions.region_code

)

select * from agencies
