{#
    One row per unread cell (stg_raw__unread_cells, value not assigned) of a
    current report that the same agency's neighbouring report settles: the
    rule catalog's cross-year equalities (rule_catalog.is_cross_year, ==
    clauses) between the report and the agency's report of the year before
    or after leave exactly one of the cell's candidates. Shaped like
    int_cells_reviewed (value_source 'cross_year', value_as_read NULL), with
    the neighbour and the equation as evidence.

    A clause of a pair of reports decides when every operand but the
    unread cells of one of the two reports is a printed number (not blank,
    not absent, not itself unread, not an OCR value nothing verified) and at
    most three such cells are left: the combinations of their candidates
    that satisfy it give each cell its allowed values. A cell in several
    clauses keeps the values all of them allow, and is resolved when one
    value is left. Since the true value is among the candidates, a unique
    survivor is that value whenever the equalities hold, so:
    - both reports must be current, of one agency whose identity is certain
      (known, not a placeholder, placed in a division or by a trusted
      organisation code) and of the same scope (own / 汇总);
    - a family of chains with a clause whose operands are all printed and
      that fails between the two reports (the agency's chain is broken
      there: a reorganisation, a slip) decides nothing between them;
    - a cell a reviewer decided, or the extractor read after all, is not
      here: the reviewer's value (int_cells_reviewed) stands.

    The import CTEs read more than once are NOT MATERIALIZED: DuckDB would
    otherwise copy every cell (with its text) into memory.
#}

with

unread_cells as not materialized (

    select * from {{ ref('stg_raw__unread_cells') }}

),

cells as not materialized (

    select * from {{ ref('int_cells_reviewed') }}

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

catalog as (

    select * from {{ ref('rule_catalog') }}
    where is_cross_year and rule_kind = 'linear'

),

terms as (

    select * from {{ ref('rule_terms') }}
    where side in ('lhs', 'rhs') and comparator = '=='

),

reports as (

    select
        report_sha256,
        agency_key,
        report_year,
        format as format_id,
        file_name,
        coalesce(report_scope, 'own') as report_scope,
        {# the checks of int_report_checks_evaluated's agency_placeholder, and
           a name no division places ('-:' identity: 区政府办公室 of where?) #}
        coalesce(
            agency_id is not null
            and agency_id not like '-:%'
            and regexp_matches(agency_name, '[\x{4e00}-\x{9fff}]')
            and not regexp_matches(
                agency_name, '(?i)(www\.|https?:|\.(com|cn|net|org)\b)'
            )
            and not coalesce(regexp_matches(
                title, '(?i)(www\.|https?:|\.(com|net|org)\b)'
            ), false),
            false
        ) as is_identity_certain

    from report_versions
    where is_current and report_year is not null

),

report_pairs as (

    {# an agency's consecutive years; one report of each (same scope) #}
    select
        later_reports.report_sha256 as later_sha256,
        earlier_reports.report_sha256 as earlier_sha256,
        later_reports.format_id,
        later_reports.report_year as later_year,
        earlier_reports.report_year as earlier_year,
        later_reports.file_name as later_file_name,
        earlier_reports.file_name as earlier_file_name

    from reports as later_reports
    inner join reports as earlier_reports
        on
            later_reports.agency_key = earlier_reports.agency_key
            and later_reports.report_scope = earlier_reports.report_scope
            and later_reports.report_year = earlier_reports.report_year + 1
    where
        later_reports.is_identity_certain
        and earlier_reports.is_identity_certain
    qualify
        count(*) over (partition by later_reports.report_sha256) = 1
        and count(*) over (partition by earlier_reports.report_sha256) = 1

),

open_unread as (

    {# unread cells nobody resolved: no cell at their position #}
    select
        unread_cells.report_sha256,
        unread_cells.metric_code,
        unread_cells.unread_no,
        unread_cells.table_no,
        unread_cells.row_no,
        unread_cells.column_no,
        unread_cells.row_label,
        unread_cells.column_label,
        unread_cells.locator,
        unread_cells.raw_text,
        unread_cells.candidates,
        {{ review_item_id('c', 'unread_cells.report_sha256',
            ['unread_cells.table_no', 'unread_cells.row_no',
             'unread_cells.column_no']) }} as review_item_id

    from unread_cells
    where
        unread_cells.reason <> 'ocr_unverified'
        and unread_cells.metric_code is not null
        and len(unread_cells.candidates) > 0
        and not exists (
            select 1 from cells
            where
                cells.report_sha256 = unread_cells.report_sha256
                and cells.table_no = unread_cells.table_no
                and cells.row_no = unread_cells.row_no
                and cells.column_no = unread_cells.column_no
        )
    qualify row_number() over (
        partition by unread_cells.report_sha256, unread_cells.metric_code
        order by unread_cells.unread_no
    ) = 1

),

pairs_in_play as (

    select report_pairs.*
    from report_pairs
    where
        report_pairs.later_sha256 in (
            select open_unread.report_sha256 from open_unread
        )
        or report_pairs.earlier_sha256 in (
            select open_unread.report_sha256 from open_unread
        )

),

clause_terms as (

    select
        catalog.format_id,
        catalog.rule_id,
        catalog.rule_family,
        catalog.tolerance,
        terms.clause_no,
        terms.clause_label,
        terms.side,
        terms.term_no,
        terms.metric_code,
        terms.is_prev,
        terms.coefficient,
        {# lhs - rhs = 0 #}
        case
            when terms.side = 'lhs' then terms.coefficient
            else -terms.coefficient
        end as signed_coefficient

    from terms
    inner join catalog
        on terms.rule_id = catalog.rule_id

),

unverified_cells as (

    {# OCR values no equality verified: no ground to decide another cell #}
    select distinct
        unread_cells.report_sha256,
        unread_cells.metric_code
    from unread_cells
    where unread_cells.reason = 'ocr_unverified'

),

printed_cells as (

    {# the operands: as int_rule_cells_deduplicated, the first non-blank #}
    select
        cells.report_sha256,
        cells.metric_code,
        cells.value
    from cells
    where
        cells.metric_code in (
            select clause_terms.metric_code from clause_terms
        )
        and not (
            cells.value_source <> 'reviewer'
            and exists (
                select 1 from unverified_cells
                where
                    unverified_cells.report_sha256 = cells.report_sha256
                    and unverified_cells.metric_code = cells.metric_code
            )
        )
    qualify row_number() over (
        partition by cells.report_sha256, cells.metric_code
        order by cells.value is null, cells.cell_no
    ) = 1

),

operands as (

    select
        pairs_in_play.later_sha256,
        pairs_in_play.earlier_sha256,
        clause_terms.rule_id,
        clause_terms.rule_family,
        clause_terms.clause_no,
        clause_terms.clause_label,
        clause_terms.tolerance,
        clause_terms.side,
        clause_terms.term_no,
        clause_terms.metric_code,
        clause_terms.is_prev,
        clause_terms.coefficient,
        clause_terms.signed_coefficient,
        case
            when clause_terms.is_prev then pairs_in_play.earlier_sha256
            else pairs_in_play.later_sha256
        end as operand_sha256,
        printed_cells.value as printed_value,
        open_unread.review_item_id as unread_item_id,
        open_unread.candidates,
        case
            when clause_terms.metric_code is null then 'constant'
            when printed_cells.value is not null then 'printed'
            when open_unread.review_item_id is not null then 'unread'
            else 'unavailable'
        end as operand_status,
        case when clause_terms.coefficient < 0 then ' - ' else ' + ' end
        || case
            when clause_terms.metric_code is null
                then regexp_replace(
                    cast(abs(clause_terms.coefficient) as varchar), '\.0$', ''
                )
            else
                case when clause_terms.is_prev then 'prev ' else '' end
                || clause_terms.metric_code || ' '
                || coalesce(
                    regexp_replace(
                        cast(printed_cells.value as varchar), '\.0$', ''
                    ),
                    '?'
                )
        end as operand_text

    from pairs_in_play
    inner join clause_terms
        on pairs_in_play.format_id = clause_terms.format_id
    left join printed_cells
        on
            printed_cells.report_sha256 = case
                when clause_terms.is_prev then pairs_in_play.earlier_sha256
                else pairs_in_play.later_sha256
            end
            and clause_terms.metric_code = printed_cells.metric_code
    left join open_unread
        on
            open_unread.report_sha256 = case
                when clause_terms.is_prev then pairs_in_play.earlier_sha256
                else pairs_in_play.later_sha256
            end
            and clause_terms.metric_code = open_unread.metric_code

),

clause_instances as (

    select
        later_sha256,
        earlier_sha256,
        rule_id,
        clause_no,
        any_value(rule_family) as rule_family,
        any_value(clause_label) as clause_label,
        any_value(tolerance) as tolerance,
        coalesce(sum(
            case operand_status
                when 'printed' then signed_coefficient * printed_value
                when 'constant' then signed_coefficient
                else 0
            end
        ), 0) as printed_sum,
        count(*) filter (where operand_status = 'unavailable')
            as unavailable_operands,
        count(distinct unread_item_id) filter (
            where operand_status = 'unread'
        ) as unread_operands,
        count(distinct operand_sha256) filter (
            where operand_status = 'unread'
        ) as unread_reports,
        {# the operands as the evidence prints them: 'x 3 = prev y 1 + z ?' #}
        trim(regexp_replace(string_agg(
            operand_text, '' order by term_no
        ) filter (where side = 'lhs'), '^ \+ ', '')) as lhs_text,
        trim(regexp_replace(string_agg(
            operand_text, '' order by term_no
        ) filter (where side = 'rhs'), '^ \+ ', '')) as rhs_text

    from operands
    group by later_sha256, earlier_sha256, rule_id, clause_no

),

broken_chains as (

    {# a clause of the family with every operand printed fails #}
    select distinct
        later_sha256,
        rule_family
    from clause_instances
    where
        unavailable_operands = 0
        and unread_operands = 0
        and abs(printed_sum) > tolerance + 1e-9

),

deciding_clauses as (

    select clause_instances.*
    from clause_instances
    left join broken_chains
        on
            clause_instances.later_sha256 = broken_chains.later_sha256
            and clause_instances.rule_family = broken_chains.rule_family
    where
        broken_chains.later_sha256 is null
        and clause_instances.unavailable_operands = 0
        and clause_instances.unread_operands between 1 and 3
        and clause_instances.unread_reports = 1

),

unknowns as (

    {# the unread cells of each deciding clause, numbered 1..3 #}
    select
        operands.later_sha256,
        operands.rule_id,
        operands.clause_no,
        operands.unread_item_id,
        sum(operands.signed_coefficient) as coefficient,
        any_value(operands.candidates) as candidates,
        row_number() over (
            partition by
                operands.later_sha256, operands.rule_id, operands.clause_no
            order by operands.unread_item_id
        ) as slot_no

    from operands
    inner join deciding_clauses
        on
            operands.later_sha256 = deciding_clauses.later_sha256
            and operands.rule_id = deciding_clauses.rule_id
            and operands.clause_no = deciding_clauses.clause_no
    where operands.operand_status = 'unread'
    group by
        operands.later_sha256,
        operands.rule_id,
        operands.clause_no,
        operands.unread_item_id

),

bounded_unknowns as (

    {# a clause with too many combinations to try decides nothing #}
    select unknowns.*
    from unknowns
    qualify product(len(unknowns.candidates)) over (
        partition by
            unknowns.later_sha256, unknowns.rule_id, unknowns.clause_no
    ) <= 10000

),

slot_candidates as (

    select
        later_sha256,
        rule_id,
        clause_no,
        slot_no,
        unread_item_id,
        coefficient,
        unnest(candidates) as candidate
    from bounded_unknowns

),

fitting_combinations as (

    select
        first_slot.later_sha256,
        first_slot.rule_id,
        first_slot.clause_no,
        first_slot.unread_item_id as first_item_id,
        first_slot.candidate as first_candidate,
        second_slot.unread_item_id as second_item_id,
        second_slot.candidate as second_candidate,
        third_slot.unread_item_id as third_item_id,
        third_slot.candidate as third_candidate

    from slot_candidates as first_slot
    inner join deciding_clauses
        on
            first_slot.later_sha256 = deciding_clauses.later_sha256
            and first_slot.rule_id = deciding_clauses.rule_id
            and first_slot.clause_no = deciding_clauses.clause_no
    left join slot_candidates as second_slot
        on
            first_slot.later_sha256 = second_slot.later_sha256
            and first_slot.rule_id = second_slot.rule_id
            and first_slot.clause_no = second_slot.clause_no
            and second_slot.slot_no = 2
    left join slot_candidates as third_slot
        on
            first_slot.later_sha256 = third_slot.later_sha256
            and first_slot.rule_id = third_slot.rule_id
            and first_slot.clause_no = third_slot.clause_no
            and third_slot.slot_no = 3
    where
        first_slot.slot_no = 1
        and abs(
            deciding_clauses.printed_sum
            + first_slot.coefficient * first_slot.candidate
            + coalesce(second_slot.coefficient * second_slot.candidate, 0)
            + coalesce(third_slot.coefficient * third_slot.candidate, 0)
        ) <= deciding_clauses.tolerance + 1e-9

),

allowed_values as (

    {# per clause and cell: the values some fitting combination gives it #}
    select
        later_sha256,
        rule_id,
        clause_no,
        first_item_id as unread_item_id,
        first_candidate as candidate
    from fitting_combinations

    union

    select
        later_sha256,
        rule_id,
        clause_no,
        second_item_id as unread_item_id,
        second_candidate as candidate
    from fitting_combinations
    where second_item_id is not null

    union

    select
        later_sha256,
        rule_id,
        clause_no,
        third_item_id as unread_item_id,
        third_candidate as candidate
    from fitting_combinations
    where third_item_id is not null

),

cell_clause_counts as (

    select
        unread_item_id,
        count(*) as clause_count
    from bounded_unknowns
    group by unread_item_id

),

values_every_clause_allows as (

    select
        allowed_values.unread_item_id,
        allowed_values.candidate
    from allowed_values
    inner join cell_clause_counts
        on allowed_values.unread_item_id = cell_clause_counts.unread_item_id
    group by
        allowed_values.unread_item_id,
        allowed_values.candidate,
        cell_clause_counts.clause_count
    having count(*) = cell_clause_counts.clause_count

),

decided_cells as (

    select
        unread_item_id,
        min(candidate) as value
    from values_every_clause_allows
    group by unread_item_id
    having count(*) = 1

),

evidence as (

    select
        bounded_unknowns.unread_item_id,
        {# the neighbour that decided: the earlier one when both did #}
        arg_min(
            case
                when open_unread.report_sha256 = pairs.later_sha256
                    then pairs.earlier_sha256
                else pairs.later_sha256
            end,
            pairs.earlier_year
        ) as cross_year_report_sha256,
        string_agg(
            deciding_clauses.rule_id
            || coalesce(' [' || deciding_clauses.clause_label || ']', '')
            || ': ' || deciding_clauses.lhs_text
            || ' = ' || deciding_clauses.rhs_text
            || ' (prev: the ' || pairs.earlier_year || ' report '
            || coalesce(pairs.earlier_file_name, '?')
            || ' #' || left(pairs.earlier_sha256, 8)
            || '; the ' || pairs.later_year || ' report '
            || coalesce(pairs.later_file_name, '?')
            || ' #' || left(pairs.later_sha256, 8) || ')',
            '; '
            order by pairs.earlier_year, deciding_clauses.rule_id
        ) as clause_text

    from bounded_unknowns
    inner join deciding_clauses
        on
            bounded_unknowns.later_sha256 = deciding_clauses.later_sha256
            and bounded_unknowns.rule_id = deciding_clauses.rule_id
            and bounded_unknowns.clause_no = deciding_clauses.clause_no
    inner join report_pairs as pairs
        on bounded_unknowns.later_sha256 = pairs.later_sha256
    inner join open_unread
        on bounded_unknowns.unread_item_id = open_unread.review_item_id
    group by bounded_unknowns.unread_item_id

),

resolved as (

    select
        ---------- ids
        open_unread.report_sha256,
        {# after every extracted cell, as a reviewer's resolved cell #}
        100000 + open_unread.unread_no as cell_no,
        open_unread.metric_code,

        ---------- position
        open_unread.table_no,
        open_unread.row_no,
        open_unread.column_no,
        open_unread.row_label,
        open_unread.column_label,

        ---------- numerics
        cast(decided_cells.value as double) as value,
        cast(null as double) as value_as_read,
        cast(null as double) as ocr_confidence,

        ---------- text
        open_unread.raw_text,
        open_unread.locator,

        ---------- review
        'cross_year' as value_source,
        open_unread.review_item_id,
        cast(null as varchar) as review_decision_id,
        cast(null as varchar) as review_action,
        cast(null as varchar) as review_note,
        cast(null as varchar) as reviewer,

        ---------- provenance
        {{ surrogate_key(['evidence.cross_year_report_sha256']) }}
            as cross_year_report_key,
        evidence.clause_text
        || '; candidates '
        || array_to_string(
            list_transform(
                open_unread.candidates,
                candidate -> regexp_replace(
                    cast(candidate as varchar), '\.0$', ''
                )
            ),
            ' · '
        )
        || ' → '
        || regexp_replace(cast(decided_cells.value as varchar), '\.0$', '')
            as cross_year_evidence

    from decided_cells
    inner join open_unread
        on decided_cells.unread_item_id = open_unread.review_item_id
    inner join evidence
        on decided_cells.unread_item_id = evidence.unread_item_id

)

select * from resolved
