with

source as (

    select * from {{ source('raw', 'issues') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,
        cast(issue_no as integer) as issue_no,

        ---------- text
        cast(code as varchar) as code,
        cast(severity as varchar) as severity,
        cast(message as varchar) as message

    from source

)

select * from renamed
