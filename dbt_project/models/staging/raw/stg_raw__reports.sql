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
        cast(admin_level as varchar) as admin_level,
        cast(title as varchar) as title,
        {# 组织机构代码 (9) or 统一社会信用代码 (18) from the 索引号, as printed #}
        cast(agency_org_code as varchar) as agency_org_code,
        cast(body_type as varchar) as body_type,
        cast(region_code as varchar) as region_code,
        cast(report_scope as varchar) as report_scope,
        cast(container as varchar) as container,
        cast(extractor_version as varchar) as extractor_version,

        ---------- numerics
        cast(report_year as integer) as report_year,

        ---------- dates and timestamps
        cast(published_on as date) as published_on,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(extracted_at as timestamp) as extracted_at,

    from source

)

select * from renamed
