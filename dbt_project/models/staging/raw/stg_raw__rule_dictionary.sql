with

source as (

    select * from {{ source('raw', 'rule_dictionary') }}

),

renamed as (

    select
        ---------- ids
        cast(rule_id as varchar) as rule_id,
        cast(format_id as varchar) as format_id,

        ---------- text
        cast(expr as varchar) as expression,
        cast(severity as varchar) as severity,
        cast(basis as varchar) as basis,
        cast(null_policy as varchar) as null_policy,
        cast(note as varchar) as note,

    from source

)

select * from renamed
