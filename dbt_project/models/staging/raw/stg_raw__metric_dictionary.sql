with

source as (

    select * from {{ source('raw', 'metric_dictionary') }}

),

renamed as (

    select
        ---------- ids
        cast(metric_code as varchar) as metric_code,
        cast(format_id as varchar) as format_id,
        cast(parent_code as varchar) as parent_metric_code,

        ---------- position
        cast(table_no as integer) as table_no,
        cast(label_path as varchar) as label_path,
        cast(section as varchar) as section,
        cast(row_key as varchar) as row_key,
        cast(column_key as varchar) as column_key,

        ---------- text
        cast(unit as varchar) as unit,
        cast(value_type as varchar) as value_type,
        cast(on_template as varchar) as on_template,
        cast(comparable_to as varchar) as comparable_to,

    from source

)

select * from renamed
