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
        cast(extractor_version as varchar) as extractor_version,

        ---------- numerics
        cast(report_year as integer) as report_year,

        ---------- dates and timestamps
        cast(published_on as date) as published_on,
        cast(extracted_at as timestamp) as extracted_at,

    from source

)

select * from renamed
