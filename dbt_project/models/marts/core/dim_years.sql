{#
    Every calendar year from 2008 (the first 条例) to the later of the
    current year and the latest report year seen. Years outside 2000–2100
    are treated as extraction errors and do not stretch the range.
#}

with

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

formats as (

    select * from {{ ref('reference_formats') }}

),

observed as (

    select
        least(2008, min(report_year)) as first_year,
        greatest(year(current_date), max(report_year)) as last_year

    from report_versions
    where report_year between 2000 and 2100

),

years as (

    select
        unnest(generate_series(
            coalesce(first_year, 2008),
            coalesce(last_year, year(current_date))
        )) as report_year
    from observed

),

report_counts as (

    select
        report_year,
        count(*) filter (where is_current) as report_count

    from report_versions
    group by report_year

),

expected_formats as (

    select
        years.report_year,
        min(formats.format_id) as expected_format_id

    from years
    inner join formats
        on
            years.report_year >= formats.first_report_year
            and years.report_year <= coalesce(formats.last_report_year, 9999)
    group by years.report_year

),

year_rows as (

    select
        ---------- ids
        {{ surrogate_key(['years.report_year']) }} as year_key,
        cast(years.report_year as integer) as report_year,

        ---------- attributes
        expected_formats.expected_format_id,
        case
            when years.report_year >= 2019 then '2019 条例 (国务院令第711号)'
            else '2008 条例 (国务院令第492号)'
        end as regulation,

        ---------- dates
        make_date(cast(years.report_year as integer), 1, 1) as year_start_date,
        make_date(cast(years.report_year as integer), 12, 31) as year_end_date,
        {# 2019 条例 art. 49: departments by 1月31日; before: 3月31日 for all #}
        make_date(
            cast(years.report_year as integer) + 1,
            case when years.report_year >= 2019 then 1 else 3 end,
            31
        ) as department_deadline_date,
        make_date(cast(years.report_year as integer) + 1, 3, 31)
            as government_deadline_date,

        ---------- numerics
        coalesce(report_counts.report_count, 0) as report_count

    from years
    left join expected_formats
        on years.report_year = expected_formats.report_year
    left join report_counts
        on years.report_year = report_counts.report_year

)

select * from year_rows
