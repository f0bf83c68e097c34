{#
    One row per report file version (report_sha256) that was landed or
    extracted, with its landing and extraction fields side by side and the
    current/superseded flags.

    Two versions with the same agency (int_agencies_identified: spellings
    sharing a trusted organisation code are one agency), report_year and
    report scope are versions of one report: the one landed last is current,
    ties broken by the larger sha256. An agency's own report and its region's
    aggregate (汇总) report of the same year are two reports. A version with no
    agency or no year cannot be matched to another one, so it is always
    current.
#}

with

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

landed_files as (

    select * from {{ ref('stg_raw__landed_files') }}

),

agencies as (

    select * from {{ ref('int_agencies_identified') }}

),

latest_landings as (

    {# the same bytes can be landed from several inbox paths: keep the last #}
    select *
    from landed_files
    qualify row_number() over (
        partition by report_sha256
        order by landed_at desc nulls last, source_path
    ) = 1

),

latest_extractions as (

    {# a re-extraction replaces its rows; this only guards against leftovers #}
    select *
    from reports
    qualify row_number() over (
        partition by report_sha256
        order by extracted_at desc nulls last, extractor_version desc
    ) = 1

),

report_versions as (

    select
        ---------- ids
        coalesce(
            latest_extractions.report_sha256,
            latest_landings.report_sha256
        ) as report_sha256,

        ---------- landing
        coalesce(
            latest_landings.source_path,
            latest_extractions.source_path
        ) as source_path,
        coalesce(
            latest_landings.file_name,
            regexp_extract(latest_extractions.source_path, '[^/\\]+$')
        ) as file_name,
        latest_landings.raw_path,

        ---------- extraction
        latest_extractions.format,
        latest_extractions.status,
        latest_extractions.report_year,
        {{ normalise_agency_name('latest_extractions.agency_name') }}
            as agency_name,
        latest_extractions.admin_level,
        latest_extractions.published_on,
        latest_extractions.title,
        latest_extractions.agency_org_code,
        latest_extractions.body_type,
        latest_extractions.region_code,
        latest_extractions.report_scope,
        latest_extractions.period_start,
        latest_extractions.period_end,
        latest_extractions.container,
        latest_extractions.extractor_version,

        ---------- timestamps
        latest_landings.landed_at,
        latest_extractions.extracted_at,

    from latest_extractions
    full outer join latest_landings
        on latest_extractions.report_sha256 = latest_landings.report_sha256

),

versions_identified as (

    select
        report_versions.*,
        agencies.agency_id,

    from report_versions
    left join agencies
        on report_versions.agency_name = agencies.agency_name

),

versions_ranked as (

    select
        *,
        (agency_id is not null and report_year is not null)
            as is_versionable,
        row_number() over (
            partition by
                agency_id, report_year, coalesce(report_scope, 'own')
            order by landed_at desc nulls last, report_sha256 desc
        ) as landing_rank,

    from versions_identified

),

versions_flagged as (

    select
        ---------- ids
        {{ surrogate_key(['report_sha256']) }} as report_key,
        report_sha256,
        {{ surrogate_key(["coalesce(agency_id, '(unknown)')"]) }}
            as agency_key,
        agency_id,

        ---------- landing
        source_path,
        file_name,
        raw_path,

        ---------- extraction
        format,
        status,
        report_year,
        agency_name,
        admin_level,
        published_on,
        title,
        agency_org_code,
        body_type,
        region_code,
        report_scope,
        period_start,
        period_end,
        container,
        extractor_version,

        ---------- timestamps
        landed_at,
        extracted_at,

        ---------- booleans
        coalesce(report_scope = 'aggregate', false) as is_aggregate,
        (not is_versionable or landing_rank = 1) as is_current,
        (is_versionable and landing_rank > 1) as is_superseded,

    from versions_ranked

)

select * from versions_flagged
