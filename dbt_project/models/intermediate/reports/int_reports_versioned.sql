{#
    One row per report file version (report_sha256) that was landed or
    extracted, with its landing and extraction fields side by side and the
    current/superseded/duplicate flags.

    Versions whose extracted content (raw.report_fingerprints: identity,
    cells, narrative numbers) is equal are one report: the one kept is the
    earliest landed copy still in place (ties: smaller sha256); another copy
    still in place is a duplicate of it, neither current nor superseded, so it
    never counts twice. A copy whose inbox path (or URL) now holds bytes
    landed later was replaced there: it is superseded, as any re-published
    version is, not a duplicate.

    Two versions with the same agency (int_agencies_identified: spellings
    sharing a trusted organisation code, or a division and canonical name,
    are one agency), report_year and
    report scope are versions of one report: the one landed last is current,
    ties broken by the larger sha256 (duplicates and replaced copies left
    out). An agency's own report and its region's aggregate (汇总) report of
    the same year are two reports. A version with no agency or no year cannot
    be matched to another one, so it is current unless it is a duplicate or a
    replaced copy; a version with no agency gets an agency key of its own
    ('unknown:' + its sha256), never shared with other unknowns.
#}

with

reports as (

    select * from {{ ref('int_reports_reviewed') }}

),

landed_files as (

    select * from {{ ref('stg_raw__landed_files') }}

),

agencies as (

    select * from {{ ref('int_agencies_identified') }}

),

fingerprints as (

    select * from {{ ref('stg_raw__report_fingerprints') }}

),

replaced_versions as (

    {#
        bytes whose path (or URL) holds bytes landed later; a crawled file's
        path is its sha256, so its URL (the report page, or an attachment's
        own URL) holds the bytes fetched last. Two equi-joins, not one join
        on "same path or same URL": an or of keys is a nested-loop join,
        every landing against every other
    #}
    select older.report_sha256
    from landed_files as older
    inner join landed_files as newer
        on
            older.source_path = newer.source_path
            and older.report_sha256 <> newer.report_sha256
            and older.landed_at < newer.landed_at

    union

    select older.report_sha256
    from landed_files as older
    inner join landed_files as newer
        on
            coalesce(older.file_url, older.source_url)
            = coalesce(newer.file_url, newer.source_url)
            and older.report_sha256 <> newer.report_sha256
            and older.fetched_at < newer.fetched_at

),

latest_landings as (

    {# the same bytes can be landed from several inbox paths: keep the last #}
    select *
    from landed_files
    qualify row_number() over (
        partition by report_sha256
        order by
            landed_at desc nulls last,
            fetched_at desc nulls last,
            source_path asc
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
        latest_landings.source_url,
        latest_landings.http_status,
        latest_landings.file_url,
        latest_landings.anchor_text,
        latest_landings.page_title,
        latest_landings.breadcrumb,

        ---------- extraction
        latest_extractions.format,
        latest_extractions.status,
        latest_extractions.report_year,
        {{ normalise_agency_name('latest_extractions.agency_name') }}
            as agency_name,
        {{ normalise_agency_name(
            'coalesce(latest_extractions.agency_qualified, latest_extractions.agency_name)'
        ) }} as agency_spelling,
        latest_extractions.agency_qualified,
        latest_extractions.agency_signal,
        latest_extractions.agency_confidence,
        latest_extractions.township_code,
        latest_extractions.admin_level,
        latest_extractions.published_on,
        latest_extractions.title,
        latest_extractions.agency_org_code,
        latest_extractions.body_type,
        latest_extractions.region_code,
        latest_extractions.region_signal,
        latest_extractions.region_snippet,
        latest_extractions.agency_compiler,
        latest_extractions.report_scope,
        latest_extractions.scope_evidence,
        latest_extractions.is_scope_overridden,
        latest_extractions.period_start,
        latest_extractions.period_end,
        latest_extractions.container,
        latest_extractions.extractor_version,

        ---------- timestamps
        latest_landings.landed_at,
        latest_landings.fetched_at,
        latest_extractions.extracted_at

    from latest_extractions
    full outer join latest_landings
        on latest_extractions.report_sha256 = latest_landings.report_sha256

),

versions_identified as (

    select
        report_versions.*,
        agencies.agency_id,
        fingerprints.content_fingerprint,
        (replaced_versions.report_sha256 is not null) as is_replaced

    from report_versions
    left join agencies
        on report_versions.agency_spelling = agencies.agency_spelling
    left join fingerprints
        on report_versions.report_sha256 = fingerprints.report_sha256
    left join replaced_versions
        on report_versions.report_sha256 = replaced_versions.report_sha256

),

versions_deduplicated as (

    select
        *,
        case
            when content_fingerprint is not null
                then first_value(report_sha256) over (
                    partition by content_fingerprint
                    order by
                        is_replaced asc,
                        landed_at asc nulls last,
                        report_sha256 asc
                )
        end as kept_sha256

    from versions_identified

),

versions_classified as (

    select
        *,
        coalesce(kept_sha256 <> report_sha256 and not is_replaced, false)
            as is_duplicate,
        coalesce(kept_sha256 <> report_sha256 and is_replaced, false)
            as is_replaced_copy

    from versions_deduplicated

),

agency_year_scopes as (

    {# per agency and year: does a report's own text make it a 汇总 report #}
    select
        agency_id,
        report_year,
        bool_or(report_scope = 'aggregate') as has_aggregate_text

    from versions_classified
    where
        agency_id is not null
        and report_year is not null
        and not (is_duplicate or is_replaced_copy)
    group by agency_id, report_year

),

agency_scopes as (

    select
        agency_id,
        count(*) as scope_years,
        count(*) filter (where has_aggregate_text) as aggregate_years,
        string_agg(cast(report_year as varchar), ', ' order by report_year)
        filter (where has_aggregate_text) as aggregate_year_list

    from agency_year_scopes
    group by agency_id

),

scope_inputs as (

    select
        versions_classified.*,
        agency_scopes.scope_years,
        agency_scopes.aggregate_years,
        agency_scopes.aggregate_year_list,
        coalesce(agency_year_scopes.has_aggregate_text, false)
            as has_aggregate_text_that_year

    from versions_classified
    left join agency_scopes
        on versions_classified.agency_id = agency_scopes.agency_id
    left join agency_year_scopes
        on
            versions_classified.agency_id = agency_year_scopes.agency_id
            and versions_classified.report_year = agency_year_scopes.report_year

),

scope_reasons as (

    {#
        The aggregate (汇总) flag, decided per report: its own text (the
        words kept as evidence), else the agency's other years: a report
        whose text does not say, of an agency most of whose years' texts
        say aggregate, is aggregate too, unless another report of that
        agency and year is the aggregate one (then this one is its own).
    #}
    select
        * exclude (
            report_scope,
            scope_years,
            aggregate_years,
            aggregate_year_list,
            has_aggregate_text_that_year
        ),
        report_scope as report_scope_as_read,
        case
            when is_scope_overridden then 'reviewer'
            when report_scope = 'aggregate' then 'text'
            when
                report_year is not null
                and not has_aggregate_text_that_year
                and aggregate_years * 2 > scope_years
                then 'agency_years'
            else 'no_aggregate_text'
        end as scope_reason,
        case
            when is_scope_overridden or report_scope = 'aggregate'
                then scope_evidence
            when
                report_year is not null
                and not has_aggregate_text_that_year
                and aggregate_years * 2 > scope_years
                then
                    'aggregate in ' || aggregate_years || ' of the agency''s '
                    || scope_years || ' years (' || aggregate_year_list || ')'
        end as scope_evidence_text

    from scope_inputs

),

versions_scoped as (

    select
        * exclude (scope_evidence_text, scope_evidence),
        case
            when scope_reason in ('no_aggregate_text', 'reviewer')
                then report_scope_as_read
            else 'aggregate'
        end as report_scope,
        scope_evidence_text as scope_evidence

    from scope_reasons

),

versions_ranked as (

    select
        *,
        (agency_id is not null and report_year is not null)
            as is_versionable,
        row_number() over (
            partition by
                agency_id,
                report_year,
                coalesce(report_scope, 'own'),
                (is_duplicate or is_replaced_copy)
            order by landed_at desc nulls last, report_sha256 desc
        ) as landing_rank

    from versions_scoped

),

versions_flagged as (

    select
        ---------- ids
        {{ surrogate_key(['report_sha256']) }} as report_key,
        report_sha256,
        {# a report whose agency is unknown is an agency of its own: never
           merged with other unknowns, never versioned against them #}
        {{ surrogate_key(
            ["coalesce(agency_id, 'unknown:' || report_sha256)"]
        ) }}
            as agency_key,
        agency_id,
        coalesce(agency_id, 'unknown:' || report_sha256) as agency_identity,
        case when is_duplicate then kept_sha256 end as duplicate_of_sha256,

        ---------- landing
        source_path,
        file_name,
        raw_path,
        source_url,
        http_status,
        file_url,
        anchor_text,
        page_title,
        breadcrumb,

        ---------- extraction
        format,
        status,
        report_year,
        agency_name,
        agency_qualified,
        agency_signal,
        agency_confidence,
        admin_level,
        published_on,
        title,
        agency_org_code,
        body_type,
        region_code,
        region_signal,
        region_snippet,
        township_code,
        agency_compiler,
        report_scope,
        report_scope_as_read,
        scope_reason,
        scope_evidence,
        period_start,
        period_end,
        container,
        extractor_version,
        content_fingerprint,

        ---------- timestamps
        landed_at,
        fetched_at,
        extracted_at,

        ---------- booleans
        coalesce(report_scope = 'aggregate', false) as is_aggregate,
        (agency_id is null) as is_agency_unknown,
        (
            not is_duplicate
            and not is_replaced_copy
            and (not is_versionable or landing_rank = 1)
        ) as is_current,
        (
            not is_duplicate
            and (is_replaced_copy or (is_versionable and landing_rank > 1))
        ) as is_superseded,
        is_duplicate

    from versions_ranked

)

select * from versions_flagged
