with

catalog as (

    select * from {{ ref('rule_catalog') }}

),

rules as (

    select
        ---------- ids
        {{ surrogate_key(['rule_id']) }} as rule_key,
        rule_id,
        rule_family,

        ---------- attributes
        format_id,
        rule_kind,
        rule_category,
        severity,
        basis,
        null_policy,
        precondition,
        automation,
        source,

        ---------- numerics
        tolerance,
        clause_count,

        ---------- text
        title_zh,
        title_en,
        expression,
        note,
        automation_note,

        ---------- booleans
        is_automatic,
        is_cross_year

    from catalog

)

select * from rules
