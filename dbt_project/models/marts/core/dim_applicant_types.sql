with

applicant_types as (

    select * from {{ ref('reference_applicant_types') }}

),

applicant_type_rows as (

    select
        ---------- ids
        {{ surrogate_key(['applicant_type_id']) }} as applicant_type_key,
        applicant_type_id,

        ---------- attributes
        chinese_name,
        english_name,
        applicant_group,
        sort_order,

        ---------- booleans
        is_on_template

    from applicant_types

)

select * from applicant_type_rows
