with

source as (

    select * from {{ source('raw', 'landed_files') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,

        ---------- text
        cast(source_path as varchar) as source_path,
        cast(raw_path as varchar) as raw_path,
        cast(file_name as varchar) as file_name,
        {# fetched files only (URL-list landing); NULL for inbox files #}
        cast(url as varchar) as source_url,
        cast(charset_hint as varchar) as charset_hint,
        cast(agency_hint as varchar) as agency_hint,
        {# crawled files only (xxgk crawl) #}
        cast(file_url as varchar) as file_url,
        cast(anchor_text as varchar) as anchor_text,
        cast(page_title as varchar) as page_title,
        cast(breadcrumb as varchar) as breadcrumb,

        ---------- numerics
        cast(size_bytes as bigint) as size_bytes,
        cast(inbox_year as integer) as inbox_year,
        cast(http_status as integer) as http_status,

        ---------- timestamps
        cast(landed_at as timestamp) as landed_at,
        cast(fetched_at as timestamp) as fetched_at

    from source

)

select * from renamed
