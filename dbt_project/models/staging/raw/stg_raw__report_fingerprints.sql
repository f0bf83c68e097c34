with

source as (

    select * from {{ source('raw', 'report_fingerprints') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,

        ---------- text
        {# digest of the extracted content, computed by the load
           (xxgk.load.raw) #}
        cast(content_fingerprint as varchar) as content_fingerprint,
        cast(fingerprint_version as varchar) as fingerprint_version

    from source

)

select * from renamed
