{#
    One row per current report and report-level check (rule_kind
    report_check): publication date within the statutory deadline,
    statistics period = calendar year, template matching the year (the
    formats' report years of seed reference_formats), no blank table, a
    recognisable agency name.
#}

with

reports as (

    select * from {{ ref('int_rule_reports_joined') }}

),

catalog as (

    select rule_id from {{ ref('rule_catalog') }}
    where rule_kind = 'report_check'

),

deadlines as (

    select * from {{ ref('publication_deadlines') }}

),

formats as (

    select * from {{ ref('reference_formats') }}

),

templates as (

    {# a report older than every template is read on the earliest one: not
       "newer than the year" #}
    select
        format_id,
        has_statistics_tables,
        first_report_year,
        last_report_year,
        first_report_year > min(first_report_year) filter (
            where has_statistics_tables
        ) over () as has_older_template

    from formats

),

report_cells as (

    select * from {{ ref('fct_report_cells') }}
    where
        is_current_report
        and report_key in (select judged.report_key from reports as judged)

),

table_fill as (

    select
        report_key,
        table_no,
        count(*) as cell_count,
        count(value) as value_count

    from report_cells
    group by report_key, table_no

),

blank_tables as (

    select
        report_key,
        count(*) filter (where value_count = 0) as blank_table_count,
        list(table_no order by table_no) filter (where value_count = 0)
            as blank_tables

    from table_fill
    group by report_key

),

report_facts as (

    select
        reports.*,
        make_date(reports.report_year + 1, 1, 1) as earliest_on,
        make_date(
            reports.report_year + 1,
            deadlines.deadline_month,
            deadlines.deadline_day
        ) as deadline_on,
        deadlines.regime,
        coalesce(blank_tables.blank_table_count, 0) as blank_table_count,
        blank_tables.blank_tables,
        coalesce(templates.has_statistics_tables, false) as is_table_format,
        templates.first_report_year as template_first_year,
        templates.last_report_year as template_last_year,
        templates.has_older_template,
        (
            reports.agency_name = '(unknown)'
            or regexp_matches(
                reports.agency_name,
                '(?i)(www\.|https?:|\.(com|cn|net|org)\b)'
            )
            or not regexp_matches(reports.agency_name, '[\x{4e00}-\x{9fff}]')
            or coalesce(regexp_matches(
                reports.title, '(?i)(www\.|https?:|\.(com|net|org)\b)'
            ), false)
        ) as is_placeholder_agency

    from reports
    left join deadlines
        on
            reports.report_year
            between deadlines.first_report_year and deadlines.last_report_year
            and reports.body_group = deadlines.body_group
    left join blank_tables
        on reports.report_key = blank_tables.report_key
    left join templates
        on reports.format_id = templates.format_id

),

checks as (

    select
        facts.report_key,
        catalog.rule_id,
        case catalog.rule_id
            when 'report.publication_deadline'
                then
                    case
                        when
                            facts.published_on is null
                            or facts.deadline_on is null
                            then 'metadata_missing'
                        when
                            facts.published_on < facts.earliest_on
                            then 'published_early'
                        when
                            facts.published_on > facts.deadline_on
                            then 'published_late'
                        else 'published_in_time'
                    end
            when 'report.statistics_period'
                then
                    case
                        when
                            facts.report_year is null
                            or (
                                facts.period_start is null
                                and facts.period_end is null
                            )
                            then 'metadata_missing'
                        when
                            facts.period_start
                            <> make_date(facts.report_year, 1, 1)
                            or facts.period_end
                            <> make_date(facts.report_year, 12, 31)
                            then 'period_not_calendar_year'
                        else 'period_calendar_year'
                    end
            when 'report.template_year'
                then
                    case
                        when not facts.is_table_format then 'not_applicable'
                        when facts.report_year is null then 'metadata_missing'
                        when facts.report_year > facts.template_last_year
                            then 'template_superseded'
                        when
                            facts.report_year < facts.template_first_year
                            and facts.has_older_template
                            then 'template_newer_than_year'
                        else 'template_matches_year'
                    end
            when 'report.tables_not_blank'
                then
                    case
                        when not facts.is_table_format then 'not_applicable'
                        when facts.cell_count = 0 or facts.blank_table_count > 0
                            then 'tables_blank'
                        else 'tables_filled'
                    end
            when 'report.agency_named' then case
                when facts.is_placeholder_agency then 'agency_placeholder'
                else 'agency_named'
            end
        end as reason_code,
        case catalog.rule_id
            when 'report.publication_deadline'
                then date_diff('day', facts.deadline_on, facts.published_on)
        end as days_after_deadline,
        cast(case catalog.rule_id
            when 'report.publication_deadline'
                then
                    to_json({
                        'published_on': facts.published_on,
                        'deadline_on': facts.deadline_on,
                        'regime': facts.regime, 'body_group': facts.body_group
                    })
            when 'report.statistics_period'
                then
                    to_json({
                        'period_start': facts.period_start,
                        'period_end': facts.period_end
                    })
            when 'report.template_year'
                then
                    to_json({
                        'format_id': facts.format_id,
                        'report_year': facts.report_year
                    })
            when 'report.tables_not_blank'
                then
                    to_json({
                        'cell_count': facts.cell_count,
                        'blank_tables': facts.blank_tables
                    })
            when 'report.agency_named' then to_json({
                'agency_name': facts.agency_name, 'title': facts.title
            })
        end as varchar) as evidence

    from report_facts as facts
    cross join catalog

),

report_results as (

    select
        report_key,
        rule_id,
        reason_code,
        cast(null as double) as lhs,
        cast(null as double) as rhs,
        cast(null as double) as difference,
        case
            when days_after_deadline is not null
                then cast(days_after_deadline as varchar) || ' d'
        end as detail,
        evidence

    from checks

)

select * from report_results
