{#
    One row per current report and narrative rule:
    * narrative_table: each number the prose states (approximate ones aside)
      must equal one of the table cells of its cross_check, or the facts of
      its kind together must (a count split over two websites); a number
      stated while the printed cell is blank fails too. The failure closest
      to agreeing (a typo) is the headline.
    * narrative_parts: in a sentence "共N…，其中a…、b…" the parts with the
      total's unit must not add up to more than the total (not for a
      breakdown by publication channel, which may count an item twice).
    * narrative_percentages: a rate (…率) above 100%, or "100%以上".
#}

{%- set count_pattern =
    "\\d+(?:\\.\\d+)?\\s*(?:人次|件次|条|件|篇|次|期|个|项|名|场|份|家|批)" -%}
{%- set number_pattern = "^\\d+(?:\\.\\d+)?" -%}

with

reports as (

    select * from {{ ref('int_rule_reports_joined') }}

),

cells as (

    select * from {{ ref('int_rule_cells_deduplicated') }}

),

report_facts as (

    select facts.*
    from {{ ref('fct_narrative_facts') }} as facts
    inner join reports
        on facts.report_key = reports.report_key

),

catalog as (

    select * from {{ ref('rule_catalog') }}

),

terms as (

    select * from {{ ref('rule_terms') }}
    where side = 'fact'

),

report_rules as (

    select
        reports.report_key,
        catalog.rule_id,
        catalog.rule_kind

    from reports
    inner join catalog
        on
            reports.format_id = catalog.format_id
            or catalog.format_id = 'any'
    where catalog.rule_kind like 'narrative%'

),

---------- narrative vs table

fact_cells as (

    select
        report_rules.report_key,
        report_rules.rule_id,
        report_facts.fact_no,
        report_facts.value as stated,
        report_facts.sentence,
        terms.metric_code,
        cells.value as cell_value,
        cells.raw_text,
        cells.locator,
        (cells.metric_code is not null) as has_cell_row,
        sum(report_facts.value) over (
            partition by
                report_rules.report_key, report_rules.rule_id,
                report_facts.fact, terms.metric_code
        ) as stated_sum

    from report_rules
    inner join terms
        on report_rules.rule_id = terms.rule_id
    inner join report_facts
        on
            report_rules.report_key = report_facts.report_key
            and terms.fact = report_facts.fact
            and not report_facts.is_approximate
    left join cells
        on
            report_rules.report_key = cells.report_key
            and terms.metric_code = cells.metric_code

),

fact_checks as (

    select
        report_key,
        rule_id,
        fact_no,
        any_value(stated) as stated,
        any_value(sentence) as sentence,
        max(case
            when cell_value = stated then stated
            when cell_value = stated_sum then stated_sum
        end) as matched_value,
        count(cell_value) > 0 as has_cell_value,
        bool_or(has_cell_row) as has_cell_row,
        {# ties broken by code, so rebuilds give the same row #}
        arg_min(
            cell_value,
            { 'distance': abs(cell_value - stated), 'code': metric_code }
        ) as nearest_cell_value,
        list({
            'code': metric_code, 'value': cell_value, 'raw': raw_text,
            'locator': locator
        } order by metric_code) as cells

    from fact_cells
    group by report_key, rule_id, fact_no

),

fact_statuses as (

    select
        *,
        case
            when matched_value is not null then 'narrative_matches'
            when has_cell_value then 'narrative_differs'
            when has_cell_row and stated > 0 then 'table_blank'
            else 'no_cells'
        end as reason_code

    from fact_checks

),

headline_facts as (

    select *
    from fact_statuses
    qualify row_number() over (
        partition by report_key, rule_id
        order by
            case reason_code
                when 'narrative_differs' then 0
                when 'table_blank' then 0
                when 'narrative_matches' then 1
                else 2
            end,
            abs(stated - nearest_cell_value) nulls last,
            fact_no
    ) = 1

),

fact_evidence as (

    select
        report_key,
        rule_id,
        cast(to_json(list({
            'fact_no': fact_no, 'stated': stated, 'status': reason_code,
            'sentence': sentence, 'cells': cells
        } order by fact_no)) as varchar) as evidence

    from fact_statuses
    group by report_key, rule_id

),

table_results as (

    select
        report_rules.report_key,
        report_rules.rule_id,
        coalesce(headline_facts.reason_code, 'no_narrative') as reason_code,
        coalesce(headline_facts.matched_value, headline_facts.stated) as lhs,
        coalesce(
            headline_facts.matched_value, headline_facts.nearest_cell_value
        ) as rhs,
        coalesce(headline_facts.matched_value, headline_facts.stated)
        - coalesce(
            headline_facts.matched_value, headline_facts.nearest_cell_value
        )
            as difference,
        cast(null as varchar) as detail,
        fact_evidence.evidence

    from report_rules
    left join headline_facts
        on
            report_rules.report_key = headline_facts.report_key
            and report_rules.rule_id = headline_facts.rule_id
    left join fact_evidence
        on
            report_rules.report_key = fact_evidence.report_key
            and report_rules.rule_id = fact_evidence.rule_id
    where report_rules.rule_kind = 'narrative_table'

),

---------- parts listed after 其中 vs the total before it

split_sentences as (

    select distinct
        report_key,
        sentence,
        regexp_extract_all(
            substr(sentence, 1, strpos(sentence, '其中') - 1),
            '{{ count_pattern }}'
        ) as head_counts,
        regexp_extract_all(
            substr(sentence, strpos(sentence, '其中') + 2),
            '{{ count_pattern }}'
        ) as tail_counts

    from report_facts
    where
        strpos(sentence, '其中') > 0
        {# a breakdown by channel may count one item on several channels
           (（一）主动公开政府信息数 计1条), so only categories are summed #}
        and not regexp_matches(
            substr(sentence, strpos(sentence, '其中') + 2),
            '网站|微博|微信|公众号|客户端|公报|报刊|电视|广播|平台|渠道'
        )

),

sentence_totals as (

    select
        report_key,
        sentence,
        tail_counts,
        cast(regexp_extract(head_counts[-1], '{{ number_pattern }}') as double)
            as total_value,
        regexp_replace(head_counts[-1], '^[0-9.\s]+', '') as total_unit

    from split_sentences
    where len(head_counts) > 0

),

sentence_parts as (

    select
        report_key,
        sentence,
        total_value,
        list_transform(
            list_filter(
                tail_counts,
                lambda x: regexp_replace(x, '^[0-9.\s]+', '') = total_unit
            ),
            lambda x: cast(regexp_extract(x, '{{ number_pattern }}') as double)
        ) as part_values

    from sentence_totals

),

sentence_checks as (

    select
        report_key,
        sentence,
        total_value,
        part_values,
        list_sum(part_values) as parts_value,
        case
            when list_sum(part_values) > total_value + 1e-9
                then 'parts_exceed_total'
            else 'parts_within_total'
        end as reason_code,
        {# the largest excess is the headline; ties broken by the sentence #}
        {
            'excess': list_sum(part_values) - total_value, 'sentence': sentence
        } as excess

    from sentence_parts
    where len(part_values) > 0

),

parts_results as (

    select
        report_rules.report_key,
        report_rules.rule_id,
        coalesce(
            arg_max(sentence_checks.reason_code, sentence_checks.excess),
            'no_narrative'
        ) as reason_code,
        arg_max(sentence_checks.parts_value, sentence_checks.excess) as lhs,
        arg_max(sentence_checks.total_value, sentence_checks.excess) as rhs,
        max(sentence_checks.parts_value - sentence_checks.total_value)
            as difference,
        cast(null as varchar) as detail,
        cast(to_json(list({
            'sentence': sentence_checks.sentence,
            'total': sentence_checks.total_value,
            'parts': sentence_checks.part_values,
            'status': sentence_checks.reason_code
        } order by sentence_checks.sentence)
        filter (where sentence_checks.sentence is not null))
        as varchar) as evidence

    from report_rules
    left join sentence_checks
        on report_rules.report_key = sentence_checks.report_key
    where report_rules.rule_kind = 'narrative_parts'
    group by report_rules.report_key, report_rules.rule_id

),

---------- percentages

rates as (

    select
        report_key,
        fact_no,
        value,
        sentence,
        (value > 100 or (is_approximate and value >= 100)) as is_impossible

    from report_facts
    where
        fact = 'stated_percentage'
        and regexp_matches(sentence, '率')
        and not regexp_matches(sentence, '增长|同比|提高|增加|上升|下降|减少')

),

percentage_results as (

    select
        report_rules.report_key,
        report_rules.rule_id,
        case
            when bool_or(rates.is_impossible) then 'percentage_impossible'
            when count(rates.value) > 0 then 'percentages_plausible'
            else 'no_narrative'
        end as reason_code,
        max(rates.value) as lhs,
        case when count(rates.value) > 0 then 100.0 end as rhs,
        max(rates.value) - 100.0 as difference,
        case
            when bool_or(rates.is_impossible and rates.value <= 100)
                then '100%以上'
        end as detail,
        cast(to_json(list({
            'value': rates.value, 'sentence': rates.sentence
        } order by rates.fact_no) filter (where rates.is_impossible))
        as varchar) as evidence

    from report_rules
    left join rates
        on report_rules.report_key = rates.report_key
    where report_rules.rule_kind = 'narrative_percentages'
    group by report_rules.report_key, report_rules.rule_id

),

narrative_results as (

    select * from table_results
    union all
    select * from parts_results
    union all
    select * from percentage_results

)

select * from narrative_results
