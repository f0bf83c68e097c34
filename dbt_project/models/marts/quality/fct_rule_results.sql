{#
    One row per current report and rule that applies to it (the rules of its
    format plus the report-level ones): the outcome, the numbers, a message
    in Chinese and English, and the evidence (operand cells with raw text
    and locator, narrative sentences or metadata) as JSON text.
#}

{{ config(materialized='incremental', unique_key='report_key') }}

with

reports as (

    select * from {{ ref('int_rule_reports_joined') }}

),

rules as (

    select * from {{ ref('dim_rules') }}

),

reasons as (

    select * from {{ ref('rule_reasons') }}

),

report_files as (

    select
        report_key,
        report_sha256
    from {{ ref('dim_reports') }}

),

decisions as (

    {# a finding's standing confirm / dismiss (the bytes are part of its id) #}
    select * from {{ ref('int_review_decisions_latest') }}
    where decision_kind = 'finding_status'

),

manual_results as (

    select
        reports.report_key,
        rules.rule_id,
        'not_automatable' as reason_code,
        cast(null as double) as lhs,
        cast(null as double) as rhs,
        cast(null as double) as difference,
        rules.automation_note as detail,
        cast(null as varchar) as evidence

    from reports
    inner join rules
        on reports.format_id = rules.format_id
    where rules.rule_kind = 'manual'

),

evaluated as (

    select * from {{ ref('int_table_rules_evaluated') }}
    union all
    select * from {{ ref('int_narrative_rules_evaluated') }}
    union all
    select * from {{ ref('int_report_checks_evaluated') }}
    union all
    select * from manual_results

),

side_names as (

    {# what lhs and rhs stand for, per kind of rule #}
    select * from (
        values
        ('narrative_table', '正文', '表格'),
        ('narrative_parts', '分项之和', '总数'),
        ('narrative_percentages', '百分比', '上限'),
        ('companion', '合计', '分项')
    ) as side_name_rows (rule_kind, lhs_name, rhs_name)  -- noqa: AL05

),

numbers_formatted as (

    select
        *,
        coalesce(
            regexp_replace(cast(round(lhs, 4) as varchar), '\.0+$', ''), '—'
        ) as lhs_text,
        coalesce(
            regexp_replace(cast(round(rhs, 4) as varchar), '\.0+$', ''), '—'
        ) as rhs_text,
        regexp_replace(cast(round(difference, 4) as varchar), '\.0+$', '')
            as difference_text

    from evaluated

),

rule_results as (

    select
        ---------- ids
        {{ surrogate_key(['results.report_key', 'results.rule_id']) }}
            as rule_result_key,
        results.report_key,
        rules.rule_key,
        reports.agency_key,
        results.rule_id,

        ---------- attributes
        rules.rule_family,
        rules.rule_category,
        rules.rule_kind,
        reports.format_id,
        reports.report_year,
        reasons.outcome,
        results.reason_code as outcome_reason,
        rules.severity,
        rules.automation,

        ---------- numerics
        results.lhs,
        results.rhs,
        results.difference,

        ---------- text
        rules.title_zh || '：' || reasons.message_zh
        || case
            when results.lhs is not null or results.rhs is not null
                then
                    '（'
                    || coalesce(side_names.lhs_name, '左')
                    || ' '
                    || results.lhs_text
                    || '，'
                    || coalesce(side_names.rhs_name, '右')
                    || ' '
                    || results.rhs_text
                    || coalesce('，差 ' || results.difference_text, '') || '）'
            else ''
        end
        || coalesce('［' || results.detail || '］', '') as message_zh,
        rules.title_en || ': ' || reasons.message_en
        || case
            when results.lhs is not null or results.rhs is not null
                then
                    ' (' || results.lhs_text || ' vs ' || results.rhs_text
                    || coalesce(', difference ' || results.difference_text, '')
                    || ')'
            else ''
        end
        || coalesce(' [' || results.detail || ']', '') as message_en,
        results.evidence,

        ---------- review
        {{ review_item_id('f', 'report_files.report_sha256',
            ['results.rule_id']) }} as review_item_id,
        {# open: a failed result nobody decided about yet; NULL: no finding #}
        case
            when decisions.action = 'confirm' then 'confirmed'
            when decisions.action = 'dismiss' then 'dismissed'
            when reasons.outcome = 'failed' then 'open'
        end as review_status,
        decisions.note as review_note,
        decisions.reviewer,
        decisions.decision_id as review_decision_id,
        decisions.decided_at as reviewed_at,

        ---------- booleans
        rules.is_automatic

    from numbers_formatted as results
    inner join rules
        on results.rule_id = rules.rule_id
    inner join reasons
        on results.reason_code = reasons.reason_code
    inner join reports
        on results.report_key = reports.report_key
    left join side_names
        on rules.rule_kind = side_names.rule_kind
    left join report_files
        on results.report_key = report_files.report_key
    left join decisions
        on
            {{ review_item_id('f', 'report_files.report_sha256',
            ['results.rule_id']) }}
            = decisions.item_id
            and report_files.report_sha256 = decisions.report_sha256

)

select * from rule_results
