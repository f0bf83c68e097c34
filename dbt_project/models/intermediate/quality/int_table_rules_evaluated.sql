{#
    One row per current report and table rule: linear rules (a rule fails
    when one of its clauses fails; the decisive clause gives the numbers),
    the non-negative-integer cell rules and the per-format
    parent_blank_children_present flag.
#}

with

reports as (

    select * from {{ ref('int_rule_reports_joined') }}

),

cells as (

    select * from {{ ref('int_rule_cells_deduplicated') }}

),

clauses as (

    select * from {{ ref('int_rule_clauses_evidenced') }}

),

catalog as (

    select * from {{ ref('rule_catalog') }}

),

terms as (

    select * from {{ ref('rule_terms') }}

),

linear_results as (

    select
        report_key,
        rule_id,
        reason_code,
        lhs,
        rhs,
        difference,
        {# which expansion failed (reg, license, ...); passes need no label #}
        {# or, not assessable, the operand the report lacks or left unread #}
        case
            when outcome = 'failed' then clause_label
            when reason_code in ('operand_absent', 'operand_unread')
                then unavailable_reason
        end as detail,
        evidence

    from clauses
    qualify row_number() over (
        partition by report_key, rule_id
        order by
            case outcome when 'failed' then 0 when 'passed' then 1 else 2 end,
            clause_no
    ) = 1

),

domain_cells as (

    select
        reports.report_key,
        catalog.rule_id,
        terms.term_no,
        cells.metric_code,
        cells.value,
        cells.raw_text,
        cells.locator,
        cells.row_label,
        (cells.value < 0 or cells.value <> floor(cells.value)) as is_offending

    from reports
    inner join catalog
        on
            reports.format_id = catalog.format_id
            and catalog.rule_kind = 'cell_domain'
    inner join terms
        on catalog.rule_id = terms.rule_id
    left join cells
        on
            reports.report_key = cells.report_key
            and terms.metric_code = cells.metric_code

),

domain_results as (

    select
        report_key,
        rule_id,
        case
            when count(*) filter (where is_offending) > 0
                then 'negative_or_fraction'
            when count(value) > 0 then 'holds'
            else 'all_blank'
        end as reason_code,
        min(value) filter (where is_offending) as lhs,
        cast(null as double) as rhs,
        cast(null as double) as difference,
        cast(nullif(count(*) filter (where is_offending), 0) as varchar)
            as detail,
        cast(to_json(list({
            'code': metric_code, 'label': row_label, 'value': value,
            'raw': raw_text, 'locator': locator
        } order by term_no) filter (where is_offending)) as varchar)
            as evidence

    from domain_cells
    group by report_key, rule_id

),

companion_rules as (

    select
        reports.report_key,
        reports.format_id,
        catalog.rule_id

    from reports
    inner join catalog
        on
            reports.format_id = catalog.format_id
            and catalog.rule_kind = 'companion'

),

flagged_clauses as (

    select
        clauses.report_key,
        clauses.rule_id as member_rule_id,
        clauses.clause_no,
        clauses.components_value,
        clauses.evidence

    from clauses
    where clauses.is_blank_total_with_components

),

companion_results as (

    select
        companion_rules.report_key,
        companion_rules.rule_id,
        case
            when count(flagged_clauses.member_rule_id) > 0
                then 'children_present'
            else 'holds'
        end as reason_code,
        cast(null as double) as lhs,
        arg_min(
            flagged_clauses.components_value,
            flagged_clauses.member_rule_id
        ) as rhs,
        cast(null as double) as difference,
        string_agg(
            flagged_clauses.member_rule_id, ', '
            order by flagged_clauses.member_rule_id
        ) as detail,
        cast(to_json(list({
            'rule_id': flagged_clauses.member_rule_id,
            'operands': json(flagged_clauses.evidence)
        } order by flagged_clauses.member_rule_id)
        filter (where flagged_clauses.member_rule_id is not null))
        as varchar) as evidence

    from companion_rules
    left join flagged_clauses
        on
            companion_rules.report_key = flagged_clauses.report_key
            and starts_with(
                flagged_clauses.member_rule_id, companion_rules.format_id || '.'
            )
    group by companion_rules.report_key, companion_rules.rule_id

),

table_results as (

    select * from linear_results
    union all
    select * from domain_results
    union all
    select * from companion_results

)

select * from table_results
