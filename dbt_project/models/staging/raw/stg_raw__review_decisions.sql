with

source as (

    select * from {{ source('raw', 'review_decisions') }}

),

renamed as (

    select
        ---------- ids
        cast(decision_id as varchar) as decision_id,
        cast(item_id as varchar) as item_id,
        cast(undoes as varchar) as undone_decision_id,
        cast(report_sha256 as varchar) as report_sha256,

        ---------- attributes
        lower(cast(action as varchar)) as action,
        {# f / c / r: finding, cell, report (macro review_item_id) #}
        case split_part(item_id, ':', 1)
            when 'f' then 'finding'
            when 'c' then 'cell'
            when 'r' then 'report'
        end as item_kind,

        ---------- text
        cast(value as varchar) as decided_value,
        cast(note as varchar) as note,
        cast(reviewer as varchar) as reviewer,
        cast(value_as_read as varchar) as value_as_read,
        cast(locator as varchar) as locator,

        ---------- timestamps
        cast(decided_at as timestamp) as decided_at

    from source

)

select * from renamed
