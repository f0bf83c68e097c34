-- Worked analyst queries on the warehouse (DuckDB, schema main).
--
-- Each query starts with a `-- name:` line; tests/transform/test_queries.py runs every one of them on a
-- demo warehouse (samples/inbox plus the five seed reports) and checks what they return.
-- Conventions worth keeping in mind:
--   * blank is not zero: a NULL measure or cell means "not reported" (or no equivalent in the
--     report's format); sum() skips NULLs, count(x) counts reported values only;
--   * fct_agency_year_measures holds one row per agency and year from the current version of the
--     agency's own report; region-wide summary (汇总) reports are never in it;
--   * when summing fct_report_cells yourself, keep is_current_report and drop
--     is_aggregate_report rows;
--   * dim_measures.comparability_by_format / fct_agency_year_measure_values.comparability say
--     which measures are only approximately comparable across the old, v2019 and v2021 formats.


-- name: applications_trend_by_year
-- Applications received per year across formats (one conformed column), with how many agencies
-- reported a figure at all: narrative-only reports count as agencies but not as reporting.
select
    report_year,
    string_agg(distinct format_id, ',' order by format_id) as formats,
    count(*) as agency_count,
    count(applications_received) as agencies_reporting,
    sum(applications_received) as applications_received,
    sum(applications_granted) as applications_granted,
    sum(applications_withheld) as applications_withheld,
from main.fct_agency_year_measures
group by report_year
order by report_year;


-- name: refusal_reasons_by_year
-- Withheld (refused) applications by reason group and year, with the comparability of each
-- figure: old-format reasons map onto the 2019 list only approximately for some groups.
select
    measure_values.report_year,
    measures.english_name as reason,
    measures.chinese_name as reason_zh,
    sum(measure_values.value) as applications_withheld,
    count(measure_values.value) as agencies_reporting,
    string_agg(distinct measure_values.comparability, ',')
        filter (where measure_values.value is not null) as comparability,
from main.fct_agency_year_measure_values as measure_values
inner join main.dim_measures as measures
    on measure_values.measure_key = measures.measure_key
where measures.measure_group = 'withheld_reasons'
group by measure_values.report_year, measures.english_name, measures.chinese_name,
    measures.sort_order
having count(measure_values.value) > 0
order by measure_values.report_year, measures.sort_order;


-- name: applications_by_admin_level
-- Applications received, granted and withheld per administrative level of the agency.
select
    agencies.admin_level,
    count(distinct agencies.agency_key) as agency_count,
    sum(measures.applications_received) as applications_received,
    sum(measures.applications_granted) as applications_granted,
    sum(measures.applications_withheld) as applications_withheld,
    round(
        sum(measures.applications_granted) / nullif(sum(measures.applications_received), 0), 3
    ) as granted_share,
from main.fct_agency_year_measures as measures
inner join main.dim_agencies as agencies
    on measures.agency_key = agencies.agency_key
group by agencies.admin_level
order by agencies.admin_level;


-- name: review_and_lawsuit_outcomes
-- Administrative reviews and lawsuits by outcome and year. Pending cases exist only since 2019;
-- the old table's totals have no pending column (comparability 'approximate').
select
    report_year,
    sum(reviews_total) as reviews_total,
    sum(reviews_upheld) as reviews_upheld,
    sum(reviews_corrected) as reviews_corrected,
    sum(reviews_other_outcome) as reviews_other_outcome,
    sum(reviews_pending) as reviews_pending,
    sum(lawsuits_total) as lawsuits_total,
    sum(lawsuits_upheld) as lawsuits_upheld,
    sum(lawsuits_corrected) as lawsuits_corrected,
    sum(lawsuits_other_outcome) as lawsuits_other_outcome,
    sum(lawsuits_pending) as lawsuits_pending,
from main.fct_agency_year_measures
group by report_year
having count(reviews_total) + count(lawsuits_total) > 0
order by report_year;


-- name: reports_with_blank_tables
-- Current reports whose statistics tables are mostly or entirely blank (blank = not reported,
-- which is not the same as 0).
select
    reports.agency_name,
    reports.report_year,
    reports.format,
    cells.table_no,
    count(*) as cell_count,
    count(*) filter (where cells.is_blank) as blank_cell_count,
    round(count(*) filter (where cells.is_blank) / count(*), 2) as blank_share,
    bool_and(cells.is_blank) as is_entirely_blank,
from main.fct_report_cells as cells
inner join main.dim_reports as reports
    on cells.report_key = reports.report_key
where reports.is_current
group by reports.agency_name, reports.report_year, reports.format, cells.table_no
having count(*) filter (where cells.is_blank) >= 0.5 * count(*)
order by blank_share desc, reports.agency_name, cells.table_no;


-- name: label_search
-- Find printed cells by their Chinese label (the dictionary's innermost label, optionally
-- narrowed by a part of the label path) and by a part of the agency's name (any spelling).
-- Edit the search terms in the first CTE.
with

search_terms (label_text, path_text, agency_text) as (
    values
        ('主动公开政府信息数', '', '台州'),
        ('上一年项目数量', '行政处罚', '呼图壁'),
        ('处理决定数量', '行政许可', '示例市')
)

select
    search_terms.label_text,
    search_terms.path_text,
    agencies.agency_name,
    reports.report_year,
    reports.format,
    metrics.metric_code,
    metrics.label_path,
    cells.value,
    cells.raw_text,
    cells.locator,
from search_terms
inner join main.dim_metrics as metrics
    on metrics.label like '%' || search_terms.label_text || '%'
    and metrics.label_path like '%' || search_terms.path_text || '%'
inner join main.fct_report_cells as cells
    on metrics.metric_key = cells.metric_key
inner join main.dim_reports as reports
    on cells.report_key = reports.report_key
inner join main.dim_agencies as agencies
    on cells.agency_key = agencies.agency_key
where reports.is_current
    and agencies.name_variants like '%' || search_terms.agency_text || '%'
order by search_terms.label_text, agencies.agency_name, reports.report_year;


-- name: applications_by_applicant_type
-- New applications by applicant type (table 三, row 一) for v2019/v2021 reports, using the
-- applicant-type dimension of the cells; the 总计 column is left out to avoid double counting.
select
    reports.report_year,
    applicant_types.chinese_name as applicant_type_zh,
    applicant_types.english_name as applicant_type,
    sum(cells.value) as applications_received,
    count(cells.value) as reports_with_value,
from main.fct_report_cells as cells
inner join main.dim_metrics as metrics
    on cells.metric_key = metrics.metric_key
inner join main.dim_applicant_types as applicant_types
    on cells.applicant_type_key = applicant_types.applicant_type_key
inner join main.dim_reports as reports
    on cells.report_key = reports.report_key
where cells.is_current_report
    and not cells.is_aggregate_report
    and metrics.row_key = 'new_received'
    and applicant_types.applicant_group in ('natural_person', 'organisation')
    and applicant_types.is_on_template
group by reports.report_year, applicant_types.chinese_name, applicant_types.english_name,
    applicant_types.sort_order
order by reports.report_year, applicant_types.sort_order;


-- name: carry_over_chain
-- Cross-year check per agency: applications carried forward at the end of one year should be
-- those carried over at the start of the next (v2019/v2021 only; the old table has neither).
select
    agencies.agency_name,
    measures.report_year,
    lag(measures.applications_carried_forward) over agency_years as previous_carried_forward,
    measures.applications_carried_over,
    lag(measures.applications_carried_forward) over agency_years
        = measures.applications_carried_over as is_consistent,
from main.fct_agency_year_measures as measures
inner join main.dim_agencies as agencies
    on measures.agency_key = agencies.agency_key
where measures.applications_carried_over is not null
window agency_years as (partition by measures.agency_key order by measures.report_year)
qualify lag(measures.report_year) over agency_years = measures.report_year - 1
order by agencies.agency_name, measures.report_year;


-- name: narrative_vs_table_applications
-- Applications stated in the prose against the table's conformed figure, per agency and year
-- ("no applications" sentences count as a stated 0; reports without a table figure compare as
-- NULL).
with

stated as (

    select
        report_key,
        max(value) as stated_applications,
    from main.fct_narrative_facts
    where fact in ('applications_received', 'no_applications')
    group by report_key

)

select
    agencies.agency_name,
    measures.report_year,
    measures.format_id,
    stated.stated_applications,
    measures.applications_received as table_applications,
    stated.stated_applications = measures.applications_received as is_consistent,
from main.fct_agency_year_measures as measures
inner join stated
    on measures.report_key = stated.report_key
inner join main.dim_agencies as agencies
    on measures.agency_key = agencies.agency_key
order by is_consistent nulls last, agencies.agency_name, measures.report_year;


-- name: measure_comparability
-- Which conformed measures each table format feeds, and how comparably (SPEC §4).
select
    measures.measure_group,
    measures.measure_code,
    measures.english_name,
    measures.formats_drawn_on,
    measures.comparability_by_format,
    crosswalk.format_id,
    crosswalk.metric_codes,
    crosswalk.note,
from main.dim_measures as measures
inner join seeds.dictionary_crosswalk as crosswalk
    on measures.measure_code = crosswalk.measure_code
where crosswalk.comparability = 'approximate'
order by measures.sort_order, crosswalk.format_id;


-- name: agencies_by_region
-- Reporting agencies per province and prefecture (regions from the extractor, the credit code
-- or the agency name); agencies whose region is unknown are counted under NULL.
select
    regions.province_name,
    regions.prefecture_name,
    count(*) as agency_count,
    sum(agencies.report_count) as report_count,
    string_agg(agencies.agency_name, ', ' order by agencies.agency_name) as agencies,
from main.dim_agencies as agencies
left join main.dim_regions as regions
    on agencies.region_key = regions.region_key
where agencies.agency_name <> '(unknown)'
group by regions.province_name, regions.prefecture_name
order by regions.province_name nulls last, regions.prefecture_name nulls last;
