with

formats as (

    select * from {{ ref('reference_formats') }}

),

format_rows as (

    select
        ---------- ids
        {{ surrogate_key(['format_id']) }} as format_key,
        format_id,

        ---------- attributes
        format_name,
        dictionary_name,
        legal_basis,
        template,
        first_report_year,
        last_report_year,
        sort_order,

        ---------- booleans
        has_statistics_tables

    from formats

)

select * from format_rows
