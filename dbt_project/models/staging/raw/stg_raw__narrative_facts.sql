with

source as (

    select * from {{ source('raw', 'narrative_facts') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,
        cast(fact_no as integer) as fact_no,

        ---------- text
        cast(fact as varchar) as fact,
        cast(text as varchar) as sentence,

        ---------- numerics
        cast(value as double) as value,

        ---------- booleans
        cast(approx as boolean) as is_approximate

    from source

)

select * from renamed
