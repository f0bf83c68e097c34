with

source as (

    select * from {{ source('raw', 'reports') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,

        ---------- text
        cast(source_path as varchar) as source_path,
        cast(status as varchar) as status,
        cast(format as varchar) as format,
        cast(agency as varchar) as agency_name,
        cast(agency_qualified as varchar) as agency_qualified,
        cast(agency_signal as varchar) as agency_signal,
        cast(agency_snippet as varchar) as agency_snippet,
        cast(admin_level as varchar) as admin_level,
        cast(title as varchar) as title,
        {# 组织机构代码 (9) or 统一社会信用代码 (18) from the 索引号, as printed #}
        cast(agency_org_code as varchar) as agency_org_code,
        cast(body_type as varchar) as body_type,
        {# the extractor gives the finest division: a township's 9 digits start
           with its county's 6, which is what the division tables know #}
        cast(left(region_code, 6) as varchar) as region_code,
        case
            when length(region_code) = 9 then cast(region_code as varchar)
        end as township_code,
        cast(report_scope as varchar) as report_scope,
        cast(scope_evidence as varchar) as scope_evidence,
        {# who compiled it and what placed its region: evidence, not identity #}
        cast(agency_compiler as varchar) as agency_compiler,
        cast(region_signal as varchar) as region_signal,
        cast(region_snippet as varchar) as region_snippet,
        cast(container as varchar) as container,
        cast(extractor_version as varchar) as extractor_version,

        ---------- numerics
        cast(report_year as integer) as report_year,
        cast(agency_confidence as double) as agency_confidence,

        ---------- dates and timestamps
        cast(published_on as date) as published_on,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(extracted_at as timestamp) as extracted_at

    from source

)

select * from renamed
