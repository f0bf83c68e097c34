with

source as (

    select * from {{ source('raw', 'table_coverage') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,
        cast(table_no as integer) as table_no,

        ---------- flags
        cast(is_present as boolean) as is_present,
        cast(is_truncated as boolean) as is_truncated,

        ---------- numerics
        cast(rows_expected as integer) as rows_expected,
        cast(rows_printed as integer) as rows_printed,
        cast(cells_expected as integer) as cells_expected,

        ---------- text
        cast(last_row as varchar) as last_row_key,
        cast(last_row_label as varchar) as last_row_label,
        cast(reason as varchar) as coverage_reason,
        cast(coalesce(absent_metrics, []) as varchar[]) as absent_metric_codes

    from source

)

select * from renamed
