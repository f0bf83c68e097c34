{#
    One row per current report, linear rule and clause (from
    int_rule_clauses_decided) with the operand cells as JSON evidence for the
    clauses a reviewer has to look at: a failed clause, or a blank total with
    positive components. Those are few, so their operands are looked up again
    here rather than kept for every clause.
#}

with

decided as (

    select * from {{ ref('int_rule_clauses_decided') }}

),

cells as (

    select * from {{ ref('int_rule_cells_deduplicated') }}

),

terms as (

    select * from {{ ref('rule_terms') }}
    where side in ('lhs', 'rhs')

),

reviewed_clauses as (

    select
        report_key,
        previous_report_key,
        rule_id,
        clause_no

    from decided
    where outcome = 'failed' or is_blank_total_with_components

),

evidence as (

    {# operand cells of the clauses a reviewer has to look at #}
    select
        reviewed_clauses.report_key,
        reviewed_clauses.rule_id,
        reviewed_clauses.clause_no,
        cast(to_json(list({
            'side': terms.side, 'code': terms.metric_code,
            'prev': terms.is_prev, 'label': cells.row_label,
            'value': cells.value, 'raw': cells.raw_text,
            'locator': cells.locator
        } order by terms.term_no)) as varchar) as evidence

    from reviewed_clauses
    inner join terms
        on
            reviewed_clauses.rule_id = terms.rule_id
            and reviewed_clauses.clause_no = terms.clause_no
            and terms.metric_code is not null
    left join cells
        on
            terms.metric_code = cells.metric_code
            and cells.report_key = case
                when terms.is_prev then reviewed_clauses.previous_report_key
                else reviewed_clauses.report_key
            end
    group by
        reviewed_clauses.report_key,
        reviewed_clauses.rule_id,
        reviewed_clauses.clause_no

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
        decided.lhs,
        decided.rhs,
        decided.difference,
        decided.components_value,

        ---------- text
        decided.unavailable_reason,

        ---------- flags
        decided.is_blank_total_with_components,

        ---------- evidence
        evidence.evidence

    from decided
    left join evidence
        on
            decided.report_key = evidence.report_key
            and decided.rule_id = evidence.rule_id
            and decided.clause_no = evidence.clause_no

)

select * from clause_results
