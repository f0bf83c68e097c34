{#
    One row per current report, linear rule and clause: both sides summed
    and the clause decided under the rule's null policy
    (metrics.yaml conventions.null_policy_values), as in xxgk.dictionary.rules.
    prev(code) operands read the same agency's current report of the
    previous year. int_rule_clauses_evidenced adds the evidence.

    Built for 100,000+ reports under a 2 GB DuckDB memory limit: the sums
    are driven by the printed cells (a blank adds nothing), never by every
    report x rule x term; it is a table of its own so that the evidence step
    reads it twice from disk instead of DuckDB holding every decided clause
    in memory. The import CTEs are NOT MATERIALIZED: DuckDB would otherwise
    copy a CTE read more than once (the cells, with their text) into memory.
#}

with

reports as not materialized (

    select * from {{ ref('int_rule_reports_joined') }}

),

cells as not materialized (

    select * from {{ ref('int_rule_cells_deduplicated') }}

),

catalog as not materialized (

    select * from {{ ref('rule_catalog') }}
    where rule_kind = 'linear'

),

terms as not materialized (

    select * from {{ ref('rule_terms') }}
    where side in ('lhs', 'rhs')

),

unavailable as not materialized (

    select * from {{ ref('int_rule_cells_unavailable') }}

),

report_rules as (

    select
        reports.report_key,
        reports.previous_report_key,
        catalog.rule_id

    from reports
    inner join catalog
        on reports.format_id = catalog.format_id

),

clauses as (

    {# per clause: how many cell operands each side has, and its constants #}
    select
        rule_id,
        clause_no,
        any_value(clause_label) as clause_label,
        any_value(comparator) as comparator,
        {# for 其中 rules the parent is the larger side: rhs of <= and < #}
        any_value(comparator) in ('<=', '<') as is_parent_rhs,
        count(*) filter (where side = 'lhs' and metric_code is not null)
            as lhs_operands,
        count(*) filter (where side = 'rhs' and metric_code is not null)
            as rhs_operands,
        sum(coefficient) filter (where side = 'lhs' and metric_code is null)
            as lhs_constant,
        sum(coefficient) filter (where side = 'rhs' and metric_code is null)
            as rhs_constant

    from terms
    group by rule_id, clause_no

),

cell_terms as (

    select
        catalog.format_id,
        terms.rule_id,
        terms.clause_no,
        terms.side,
        terms.term_no,
        terms.metric_code,
        terms.is_prev,
        terms.coefficient

    from terms
    inner join catalog
        on terms.rule_id = catalog.rule_id
    where terms.metric_code is not null

),

operand_values as (

    {#
        Driven by the printed cells, not by every report x rule x term: a
        blank or missing cell adds nothing to a sum and counts as absent, so
        only cells with a value are joined to the (few) terms naming their
        code. A prev() operand takes the cell of the report that is the
        previous year of the report judged.
    #}
    select
        reports.report_key,
        cell_terms.rule_id,
        cell_terms.clause_no,
        cell_terms.side,
        cell_terms.coefficient * cells.value as signed_value,
        cells.value

    from cells
    inner join reports
        on cells.report_key = reports.report_key
    inner join cell_terms
        on
            cells.metric_code = cell_terms.metric_code
            and reports.format_id = cell_terms.format_id
            and not cell_terms.is_prev
    where cells.value is not null

    union all

    select
        reports.report_key,
        cell_terms.rule_id,
        cell_terms.clause_no,
        cell_terms.side,
        cell_terms.coefficient * cells.value as signed_value,
        cells.value

    from cells
    inner join reports
        on cells.report_key = reports.previous_report_key
    inner join cell_terms
        on
            cells.metric_code = cell_terms.metric_code
            and reports.format_id = cell_terms.format_id
            and cell_terms.is_prev
    where cells.value is not null

),

operand_sums as (

    select
        report_key,
        rule_id,
        clause_no,
        count(*) filter (where side = 'lhs') as lhs_present,
        count(*) filter (where side = 'rhs') as rhs_present,
        count(*) filter (where side = 'rhs' and value > 0) as rhs_positive,
        sum(signed_value) filter (where side = 'lhs') as lhs_cells_value,
        sum(signed_value) filter (where side = 'rhs') as rhs_cells_value

    from operand_values
    group by report_key, rule_id, clause_no

),

unavailable_terms as (

    {#
        Operands the report does not hold or the reader left unread (few):
        their clause is not assessable whatever the null policy, since such
        a cell is not a blank. prev() operands read the previous report's.
    #}
    select
        reports.report_key,
        cell_terms.rule_id,
        cell_terms.clause_no,
        unavailable.reason_code,
        unavailable.reason

    from unavailable
    inner join reports
        on unavailable.report_key = reports.report_key
    inner join cell_terms
        on
            unavailable.metric_code = cell_terms.metric_code
            and reports.format_id = cell_terms.format_id
            and not cell_terms.is_prev

    union all

    select
        reports.report_key,
        cell_terms.rule_id,
        cell_terms.clause_no,
        unavailable.reason_code,
        unavailable.reason

    from unavailable
    inner join reports
        on unavailable.report_key = reports.previous_report_key
    inner join cell_terms
        on
            unavailable.metric_code = cell_terms.metric_code
            and reports.format_id = cell_terms.format_id
            and cell_terms.is_prev

),

unavailable_operands as (

    {# absent before unread (by reason code): a cut row cannot be resolved #}
    select
        report_key,
        rule_id,
        clause_no,
        min(reason_code) as unavailable_reason_code,
        arg_min(reason, reason_code || coalesce(reason, ''))
            as unavailable_reason

    from unavailable_terms
    group by report_key, rule_id, clause_no

),

clause_sums as (

    select
        report_rules.report_key,
        report_rules.rule_id,
        clauses.clause_no,
        clauses.lhs_operands,
        coalesce(operand_sums.lhs_present, 0) as lhs_present,
        clauses.rhs_operands,
        coalesce(operand_sums.rhs_present, 0) as rhs_present,
        coalesce(operand_sums.rhs_positive, 0) as rhs_positive,
        coalesce(clauses.lhs_constant, 0)
        + coalesce(operand_sums.lhs_cells_value, 0) as lhs_value,
        coalesce(clauses.rhs_constant, 0)
        + coalesce(operand_sums.rhs_cells_value, 0) as rhs_value,
        unavailable_operands.unavailable_reason_code,
        unavailable_operands.unavailable_reason

    from report_rules
    inner join clauses
        on report_rules.rule_id = clauses.rule_id
    left join operand_sums
        on
            report_rules.report_key = operand_sums.report_key
            and clauses.rule_id = operand_sums.rule_id
            and clauses.clause_no = operand_sums.clause_no
    left join unavailable_operands
        on
            report_rules.report_key = unavailable_operands.report_key
            and clauses.rule_id = unavailable_operands.rule_id
            and clauses.clause_no = unavailable_operands.clause_no

),

parent_sides as (

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
        clauses.is_parent_rhs,
        case
            when clauses.is_parent_rhs then clause_sums.rhs_present
            else clause_sums.lhs_present
        end as parent_present,
        case
            when clauses.is_parent_rhs then clause_sums.lhs_present
            else clause_sums.rhs_present
        end as subset_present,
        case
            when clauses.is_parent_rhs then clause_sums.lhs_value
            else clause_sums.rhs_value
        end as subset_value,
        clause_sums.lhs_value - clause_sums.rhs_value as raw_difference

    from clause_sums
    inner join clauses
        on
            clause_sums.rule_id = clauses.rule_id
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
            when unavailable_reason_code is not null
                then unavailable_reason_code
            when lhs_present + rhs_present = 0 then 'all_blank'
            when
                null_policy = 'skip_if_any_null'
                and lhs_present + rhs_present < lhs_operands + rhs_operands
                then 'operand_blank'
            when
                null_policy in ('skip_if_parent_null', 'children_null_as_zero')
                and lhs_present < lhs_operands
                then 'total_blank'
            when
                null_policy = 'children_null_as_zero'
                and rhs_operands > 0 and rhs_present = 0
                then 'components_blank'
            when
                null_policy = 'blank_parent_is_violation'
                and subset_present = 0
                then 'subset_blank'
            when
                null_policy = 'blank_parent_is_violation'
                and parent_present = 0
                and subset_value > tolerance + 1e-9
                then 'parent_blank'
            when
                null_policy = 'blank_parent_is_violation'
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
        end as reason_code

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
        ) as is_blank_total_with_components

    from decided
    inner join {{ ref('rule_reasons') }} as reasons
        on decided.reason_code = reasons.reason_code

),

decided_clauses as (

    select
        ---------- ids
        outcomes.report_key,
        outcomes.previous_report_key,
        outcomes.rule_id,
        outcomes.clause_no,
        outcomes.clause_label,

        ---------- outcome
        outcomes.outcome,
        outcomes.reason_code,

        ---------- numerics
        case
            when outcomes.reason_code in ('holds', 'does_not_hold')
                then outcomes.lhs_value
            when
                outcomes.reason_code like 'parent_blank%'
                and outcomes.is_parent_rhs
                then outcomes.subset_value
        end as lhs,
        case
            when outcomes.reason_code in ('holds', 'does_not_hold')
                then outcomes.rhs_value
            when
                outcomes.reason_code like 'parent_blank%'
                and not outcomes.is_parent_rhs
                then outcomes.subset_value
        end as rhs,
        case
            when outcomes.reason_code in ('holds', 'does_not_hold')
                then outcomes.raw_difference
        end as difference,
        outcomes.rhs_value as components_value,

        ---------- text
        {# why an operand is unavailable: 'table 三 cut after row 4 (…)' #}
        outcomes.unavailable_reason,

        ---------- flags
        outcomes.is_blank_total_with_components

    from outcomes

)

select * from decided_clauses
