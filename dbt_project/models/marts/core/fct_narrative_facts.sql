{{ config(materialized='incremental', unique_key='report_key') }}

with

narrative_facts as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where report_sha256 in (
        select rebuilt.report_sha256
        from {{ ref('int_reports_to_rebuild') }} as rebuilt
    )

),

report_versions as (

    select * from {{ ref('int_reports_versioned') }}

),

report_narrative_facts as (

    select
        ---------- ids
        {{ surrogate_key([
            'narrative_facts.report_sha256',
            'narrative_facts.fact_no',
        ]) }} as narrative_fact_key,
        {{ surrogate_key(['narrative_facts.report_sha256']) }} as report_key,
        report_versions.agency_key,

        ---------- attributes
        report_versions.report_year,
        narrative_facts.fact,

        ---------- numerics
        narrative_facts.value,
        narrative_facts.is_approximate,

        ---------- text
        narrative_facts.sentence,

        ---------- natural key
        narrative_facts.report_sha256,
        narrative_facts.fact_no

    from narrative_facts
    left join report_versions
        on narrative_facts.report_sha256 = report_versions.report_sha256

)

select * from report_narrative_facts
