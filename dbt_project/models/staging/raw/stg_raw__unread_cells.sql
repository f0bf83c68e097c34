with

source as (

    select * from {{ source('raw', 'unread_cells') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,
        cast(unread_no as integer) as unread_no,
        cast(metric as varchar) as metric_code,

        ---------- position
        cast(table_no as integer) as table_no,
        cast(row_no as integer) as row_no,
        cast(column_no as integer) as column_no,
        cast(row_label as varchar) as row_label,
        cast(column_label as varchar) as column_label,
        cast(locator as varchar) as locator,

        ---------- numerics
        {# the numbers the cell may hold; empty when none is known #}
        cast(coalesce(candidates, []) as double[]) as candidates,

        ---------- text
        cast(raw as varchar) as raw_text,
        cast(reason as varchar) as reason

    from source

)

select * from renamed
