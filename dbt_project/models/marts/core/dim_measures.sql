with

measures as (

    select * from {{ ref('dictionary_conformed_measures') }}

),

crosswalk as (

    select * from {{ ref('dictionary_crosswalk') }}

),

formats as (

    select * from {{ ref('reference_formats') }}

),

table_format_sources as (

    select
        crosswalk.measure_code,
        crosswalk.format_id,
        crosswalk.comparability,
        formats.sort_order

    from crosswalk
    inner join formats
        on crosswalk.format_id = formats.format_id
    where formats.has_statistics_tables

),

measure_sources as (

    select
        measure_code,
        string_agg(format_id, ',' order by sort_order)
        filter (where comparability <> 'not_comparable')
            as formats_drawn_on,
        string_agg(format_id || ': ' || comparability, '; ' order by sort_order)
            as comparability_by_format,
        bool_and(comparability <> 'not_comparable')
            as is_in_every_table_format,
        bool_or(comparability = 'approximate') as has_approximate_source

    from table_format_sources
    group by measure_code

),

measure_rows as (

    select
        ---------- ids
        {{ surrogate_key(['measures.measure_code']) }} as measure_key,
        measures.measure_code,

        ---------- attributes
        measures.measure_group,
        measures.english_name,
        measures.chinese_name,
        measures.unit,
        measures.sort_order,
        measure_sources.formats_drawn_on,
        measure_sources.comparability_by_format,

        ---------- booleans
        coalesce(measure_sources.is_in_every_table_format, false)
            as is_in_every_table_format,
        coalesce(measure_sources.has_approximate_source, false)
            as has_approximate_source

    from measures
    left join measure_sources
        on measures.measure_code = measure_sources.measure_code

)

select * from measure_rows
