{{ config(materialized='incremental', unique_key='report_key') }}

with

issues as (

    select * from {{ ref('stg_raw__issues') }}
    where report_sha256 in (
        select rebuilt.report_sha256
        from {{ ref('int_reports_to_rebuild') }} as rebuilt
    )

),

extraction_issues as (

    select
        ---------- ids
        {{ surrogate_key(['report_sha256', 'issue_no']) }}
            as extraction_issue_key,
        {{ surrogate_key(['report_sha256']) }} as report_key,

        ---------- attributes
        code,
        severity,

        ---------- text
        message,

        ---------- natural key
        report_sha256,
        issue_no

    from issues

)

select * from extraction_issues
