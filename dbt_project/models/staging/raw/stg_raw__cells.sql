with

source as (

    select * from {{ source('raw', 'cells') }}

),

renamed as (

    select
        ---------- ids
        cast(report_sha256 as varchar) as report_sha256,
        cast(cell_no as integer) as cell_no,
        cast(metric as varchar) as metric_code,

        ---------- position
        cast(table_no as integer) as table_no,
        cast(row_no as integer) as row_no,
        cast(column_no as integer) as column_no,

        ---------- numerics
        {# NULL is a blank cell and must stay NULL: never coalesce to 0 #}
        cast(value as double) as value,
        {# OCR confidence (0-1) of a cell read from a page image; NULL from
           text #}
        cast(confidence as double) as ocr_confidence,

        ---------- text
        cast(raw as varchar) as raw_text,
        cast(row_label as varchar) as row_label,
        cast(column_label as varchar) as column_label,
        cast(locator as varchar) as locator

    from source

)

select * from renamed
