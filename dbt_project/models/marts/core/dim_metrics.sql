{#
    The dictionary lists a t3_/t4_ code once under v2019 and once under v2021
    (same cell, same meaning). Keep one row per code, taken from the latest
    format (its wording is the current form's), and list every format in
    format_ids.
#}

with

metric_dictionary as (

    select * from {{ ref('dictionary_metrics') }}

),

crosswalk as (

    select * from {{ ref('dictionary_crosswalk') }}

),

format_lists as (

    select
        metric_code,
        string_agg(distinct format_id, ',' order by format_id) as format_ids

    from metric_dictionary
    group by metric_code

),

crosswalk_components as (

    select
        measure_code,
        unnest(string_split(metric_codes, '+')) as metric_code

    from crosswalk
    where metric_codes is not null

),

measure_lists as (

    {# a cell may feed several measures (a reason row and the group total) #}
    select
        metric_code,
        string_agg(distinct measure_code, ',' order by measure_code)
            as conformed_measure_codes

    from crosswalk_components
    group by metric_code

),

latest_format_rows as (

    select *
    from metric_dictionary
    where metric_code is not null
    qualify row_number() over (
        partition by metric_code
        order by format_id desc nulls last, label_path asc
    ) = 1

),

metrics as (

    select
        ---------- ids
        {{ surrogate_key(['latest_format_rows.metric_code']) }} as metric_key,
        latest_format_rows.metric_code,
        latest_format_rows.format_id,
        format_lists.format_ids,
        latest_format_rows.parent_metric_code,

        ---------- position
        latest_format_rows.table_no,
        latest_format_rows.label_path,
        latest_format_rows.label,
        latest_format_rows.section,
        latest_format_rows.row_key,
        latest_format_rows.column_key,
        latest_format_rows.dictionary_order,

        ---------- text
        latest_format_rows.english_name,
        latest_format_rows.unit,
        latest_format_rows.value_type,
        measure_lists.conformed_measure_codes,

        ---------- booleans
        (latest_format_rows.on_template is null) as is_on_template,
        coalesce(latest_format_rows.on_template = 'header_row', false)
            as is_header_row

    from latest_format_rows
    inner join format_lists
        on latest_format_rows.metric_code = format_lists.metric_code
    left join measure_lists
        on latest_format_rows.metric_code = measure_lists.metric_code

)

select * from metrics
