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
        catalog.rule_id,

    from reports
    inner join catalog
        on reports.format_id = catalog.format_id

),

operands as (

    {# only what the sums need; labels and raw text are joined for failures #}
    select
        report_rules.report_key,
        report_rules.rule_id,
        terms.clause_no,
        terms.side,
        terms.term_no,
        terms.metric_code,
        terms.is_prev,
        (terms.metric_code is not null) as is_cell,
        {# a constant is its coefficient; a blank cell counts 0 once allowed #}
        terms.coefficient * case
            when terms.metric_code is null then 1
            else coalesce(cells.value, 0)
        end as signed_value,
        cells.value,
        cells.report_key as cell_report_key,

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
        count(*) filter (where side = 'lhs' and is_cell) as lhs_operands,
        count(value) filter (where side = 'lhs' and is_cell) as lhs_present,
        count(*) filter (where side = 'rhs' and is_cell) as rhs_operands,
        count(value) filter (where side = 'rhs' and is_cell) as rhs_present,
        count(*) filter (where side = 'rhs' and value > 0) as rhs_positive,
        coalesce(sum(signed_value) filter (where side = 'lhs'), 0) as lhs_value,
        coalesce(sum(signed_value) filter (where side = 'rhs'), 0) as rhs_value,

    from operands
    group by report_key, rule_id, clause_no

),

clauses as (

    select distinct
        rule_id,
        clause_no,
        clause_label,
        comparator,

    from terms

),

parent_sides as (

    {# for 其中 rules the parent is the larger side: rhs of <= and < #}
    select
        clause_sums.*,
        clauses.clause_label,
        clauses.comparator,
        catalog.null_policy,
        catalog.tolerance,
        catalog.is_cross_year,
        catalog.precondition,
        reports.has_rule_making_power,
        reports.previous_report_key,
        clauses.comparator in ('<=', '<') as is_parent_rhs,
        case when clauses.comparator in ('<=', '<') then rhs_present
            else lhs_present end as parent_present,
        case when clauses.comparator in ('<=', '<') then lhs_present
            else rhs_present end as subset_present,
        case when clauses.comparator in ('<=', '<') then lhs_value
            else rhs_value end as subset_value,
        lhs_value - rhs_value as raw_difference,

    from clause_sums
    inner join clauses
        on clause_sums.rule_id = clauses.rule_id
        and clause_sums.clause_no = clauses.clause_no
    inner join catalog
        on clause_sums.rule_id = catalog.rule_id
    inner join reports
        on clause_sums.report_key = reports.report_key

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
            when null_policy = 'blank_parent_is_violation'
                and subset_present = 0
                then 'subset_blank'
            when null_policy = 'blank_parent_is_violation'
                and parent_present = 0
                and subset_value > tolerance + 1e-9
                then 'parent_blank'
            when null_policy = 'blank_parent_is_violation'
                and parent_present = 0
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

outcomes as (

    select
        decided.*,
        reasons.outcome,
        {# companion of children_null_as_zero: blank total, positive part #}
        (
            decided.null_policy = 'children_null_as_zero'
            and decided.lhs_operands > 0
            and decided.lhs_present = 0
            and decided.rhs_positive > 0
        ) as is_blank_total_with_components,

    from decided
    inner join {{ ref('rule_reasons') }} as reasons
        on decided.reason_code = reasons.reason_code

),

evidence as (

    {# operand cells of the clauses a reviewer has to look at #}
    select
        outcomes.report_key,
        outcomes.rule_id,
        outcomes.clause_no,
        cast(to_json(list({
            'side': operands.side, 'code': operands.metric_code,
            'prev': operands.is_prev, 'label': cells.row_label,
            'value': cells.value, 'raw': cells.raw_text,
            'locator': cells.locator
        } order by operands.term_no)) as varchar) as evidence,

    from outcomes
    inner join operands
        on outcomes.report_key = operands.report_key
        and outcomes.rule_id = operands.rule_id
        and outcomes.clause_no = operands.clause_no
        and operands.is_cell
    left join cells
        on operands.cell_report_key = cells.report_key
        and operands.metric_code = cells.metric_code
    where outcomes.outcome = 'failed' or outcomes.is_blank_total_with_components
    group by outcomes.report_key, outcomes.rule_id, outcomes.clause_no

),

clause_results as (

    select
        ---------- ids
        decided.report_key,
        decided.rule_id,
        decided.clause_no,
        decided.clause_label,

        ---------- outcome
        decided.outcome,
        decided.reason_code,

        ---------- numerics
        case
            when decided.reason_code in ('holds', 'does_not_hold')
                then decided.lhs_value
            when decided.reason_code like 'parent_blank%'
                and decided.is_parent_rhs
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
        decided.is_blank_total_with_components,

        ---------- evidence
        evidence.evidence,

    from outcomes as decided
    left join evidence
        on decided.report_key = evidence.report_key
        and decided.rule_id = evidence.rule_id
        and decided.clause_no = evidence.clause_no

)

select * from clause_results
