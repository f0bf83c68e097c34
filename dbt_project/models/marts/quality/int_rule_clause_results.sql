{#
    One row per current report, linear rule and clause: both sides summed
    and the clause decided under the rule's null policy
    (metrics.yaml conventions.null_policy_values), as in xxgk.rules.
    prev(code) operands read the same agency's current report of the
    previous year.
#}

with

reports as (

    select * from {{ ref('int_rule_report_context') }}

),

cells as (

    select * from {{ ref('int_rule_report_cells') }}

),

catalog as (

    select * from {{ ref('rule_catalog') }}
    where rule_kind = 'linear'

),

terms as (

    select * from {{ ref('rule_terms') }}
    where side in ('lhs', 'rhs')

),

report_rules as (

    select
        reports.report_key,
        reports.previous_report_key,
        reports.has_rule_making_power,
        catalog.rule_id,
        catalog.null_policy,
        catalog.tolerance,
        catalog.is_cross_year,
        catalog.precondition,

    from reports
    inner join catalog
        on reports.format_id = catalog.format_id

),

operands as (

    select
        report_rules.*,
        terms.clause_no,
        terms.clause_label,
        terms.comparator,
        terms.side,
        terms.term_no,
        terms.metric_code,
        terms.is_prev,
        terms.coefficient,
        (terms.metric_code is not null) as is_cell,
        {# a constant is its coefficient; a blank cell counts 0 once allowed #}
        terms.coefficient * case
            when terms.metric_code is null then 1
            else coalesce(cells.value, 0)
        end as signed_value,
        cells.value,
        cells.raw_text,
        cells.locator,
        cells.row_label,

    from report_rules
    inner join terms
        on report_rules.rule_id = terms.rule_id
    left join cells
        on terms.metric_code = cells.metric_code
        and cells.report_key = case
            when terms.is_prev then report_rules.previous_report_key
            else report_rules.report_key
        end

),

clause_sums as (

    select
        report_key,
        rule_id,
        clause_no,
        any_value(clause_label) as clause_label,
        any_value(comparator) as comparator,
        any_value(null_policy) as null_policy,
        any_value(tolerance) as tolerance,
        any_value(is_cross_year) as is_cross_year,
        any_value(precondition) as precondition,
        any_value(has_rule_making_power) as has_rule_making_power,
        any_value(previous_report_key) as previous_report_key,
        count(*) filter (where side = 'lhs' and is_cell) as lhs_operands,
        count(value) filter (where side = 'lhs' and is_cell) as lhs_present,
        count(*) filter (where side = 'rhs' and is_cell) as rhs_operands,
        count(value) filter (where side = 'rhs' and is_cell) as rhs_present,
        count(*) filter (where side = 'rhs' and value > 0) as rhs_positive,
        coalesce(sum(signed_value) filter (where side = 'lhs'), 0) as lhs_value,
        coalesce(sum(signed_value) filter (where side = 'rhs'), 0) as rhs_value,
        to_json(list({
            'side': side, 'code': metric_code, 'prev': is_prev,
            'label': row_label, 'value': value, 'raw': raw_text,
            'locator': locator
        } order by term_no) filter (where is_cell)) as evidence,

    from operands
    group by report_key, rule_id, clause_no

),

parent_sides as (

    {# for 其中 rules the parent is the larger side: rhs of <= and < #}
    select
        *,
        comparator in ('<=', '<') as is_parent_rhs,
        case when comparator in ('<=', '<') then rhs_present
            else lhs_present end as parent_present,
        case when comparator in ('<=', '<') then lhs_present
            else rhs_present end as subset_present,
        case when comparator in ('<=', '<') then lhs_value
            else rhs_value end as subset_value,
        lhs_value - rhs_value as raw_difference,

    from clause_sums

),

decided as (

    select
        *,
        case
            when precondition is not null and has_rule_making_power is null
                then 'precondition_unknown'
            when precondition is not null and has_rule_making_power
                then 'precondition_not_met'
            when is_cross_year and previous_report_key is null
                then 'no_previous_report'
            when lhs_present + rhs_present = 0 then 'all_blank'
            when null_policy = 'skip_if_any_null'
                and lhs_present + rhs_present < lhs_operands + rhs_operands
                then 'operand_blank'
            when null_policy in ('skip_if_parent_null', 'children_null_as_zero')
                and lhs_present < lhs_operands
                then 'total_blank'
            when null_policy = 'children_null_as_zero'
                and rhs_operands > 0 and rhs_present = 0
                then 'components_blank'
            when null_policy = 'blank_parent_is_violation' and subset_present = 0
                then 'subset_blank'
            when null_policy = 'blank_parent_is_violation' and parent_present = 0
                and subset_value > tolerance + 1e-9
                then 'parent_blank'
            when null_policy = 'blank_parent_is_violation' and parent_present = 0
                then 'parent_blank_subset_zero'
            when case comparator
                when '==' then abs(raw_difference) <= tolerance + 1e-9
                when '<=' then raw_difference <= tolerance + 1e-9
                when '>=' then raw_difference >= -(tolerance + 1e-9)
                when '<' then raw_difference < -1e-9
                when '>' then raw_difference > 1e-9
            end then 'holds'
            else 'does_not_hold'
        end as reason_code,

    from parent_sides

),

clause_results as (

    select
        ---------- ids
        decided.report_key,
        decided.rule_id,
        decided.clause_no,
        decided.clause_label,

        ---------- outcome
        reasons.outcome,
        decided.reason_code,

        ---------- numerics
        case
            when decided.reason_code in ('holds', 'does_not_hold')
                then decided.lhs_value
            when decided.reason_code like 'parent_blank%' and decided.is_parent_rhs
                then decided.subset_value
        end as lhs,
        case
            when decided.reason_code in ('holds', 'does_not_hold')
                then decided.rhs_value
            when decided.reason_code like 'parent_blank%'
                and not decided.is_parent_rhs
                then decided.subset_value
        end as rhs,
        case
            when decided.reason_code in ('holds', 'does_not_hold')
                then decided.raw_difference
        end as difference,
        decided.rhs_value as components_value,

        ---------- flags
        {# companion of children_null_as_zero: blank total, positive part #}
        (
            decided.null_policy = 'children_null_as_zero'
            and decided.lhs_operands > 0
            and decided.lhs_present = 0
            and decided.rhs_positive > 0
        ) as is_blank_total_with_components,

        ---------- evidence
        cast(decided.evidence as varchar) as evidence,

    from decided
    inner join {{ ref('rule_reasons') }} as reasons
        on decided.reason_code = reasons.reason_code

)

select * from clause_results
