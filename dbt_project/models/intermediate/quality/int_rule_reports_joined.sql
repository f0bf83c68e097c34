{#
    One row per current report this build rebuilds (int_reports_to_rebuild:
    every one on a full build): what the rules need to know about it besides
    its cells. Its previous year is found among all current reports.
#}

with

reports as (

    select * from {{ ref('dim_reports') }}

),

reports_to_rebuild as (

    select report_key from {{ ref('int_reports_to_rebuild') }}

),

current_reports as (

    select
        report_key,
        agency_key,
        agency_name,
        format as format_id,
        report_year,
        admin_level,
        published_on,
        cell_count,
        period_start,
        period_end,
        body_type,
        title

    from reports
    where is_current

),

previous_years as (

    {# a report of an unknown agency is never the previous year of another #}
    select
        agency_key,
        report_year,
        report_key

    from current_reports
    where agency_name <> '(unknown)' and report_year is not null
    qualify row_number() over (
        partition by agency_key, report_year order by report_key
    ) = 1

),

body_types as (

    select
        *,
        coalesce(
            body_type,
            case
                when regexp_matches(agency_name, '(乡|镇)人民政府$')
                    then 'township_government'
                when regexp_matches(agency_name, '人民政府$')
                    then 'people_government'
                when regexp_matches(agency_name, '(办公厅|人民政府办公室)$')
                    then 'government_office'
                when regexp_matches(agency_name, '街道办事处$')
                    then 'subdistrict_office'
                when regexp_matches(agency_name, '(管委会|管理委员会)$')
                    then 'dev_zone_committee'
                when
                    regexp_matches(
                        agency_name, '(局|厅|委员会|委|办公室|办|署|院|中心)$'
                    )
                    then 'department'
            end
        ) as body_type_inferred

    from current_reports

),

context as (

    select
        ---------- ids
        body_types.report_key,
        body_types.agency_key,
        previous_years.report_key as previous_report_key,

        ---------- attributes
        body_types.format_id,
        body_types.report_year,
        body_types.agency_name,
        body_types.admin_level,
        body_types.body_type_inferred as body_type,
        case
            when body_types.body_type_inferred in (
                'people_government', 'government_office',
                'township_government', 'subdistrict_office'
            ) then 'government'
            when body_types.body_type_inferred = 'department' then 'department'
            else 'unknown'
        end as body_group,
        {# 规章: 国务院部门, 省级人民政府, 设区的市/自治州人民政府 #}
        case
            when body_types.admin_level = 'national' then true
            when
                body_types.body_type_inferred = 'people_government'
                and body_types.admin_level in ('province', 'prefecture')
                then true
            when
                body_types.body_type_inferred is null
                or body_types.admin_level is null
                or body_types.admin_level = 'unknown'
                then null
            else false
        end as has_rule_making_power,
        body_types.title,

        ---------- numerics
        body_types.cell_count,

        ---------- dates
        body_types.published_on,
        body_types.period_start,
        body_types.period_end

    from body_types
    left join previous_years
        on
            body_types.agency_key = previous_years.agency_key
            and body_types.report_year - 1 = previous_years.report_year
    where body_types.report_key in (
        select reports_to_rebuild.report_key from reports_to_rebuild
    )

)

select * from context
