{#
    One row per landed file that is a copy of another report file, so no
    file vanishes without a trace: byte-identical copies (the same sha256
    landed under another path; one report row stands for all of them) and
    copies whose extracted content equals a report landed earlier
    (dim_reports.is_duplicate). Only the bytes a path holds now count: a
    path that was overwritten is a superseded version, not a copy.
#}

with

landed_files as (

    select * from {{ ref('stg_raw__landed_files') }}

),

reports as (

    select * from {{ ref('dim_reports') }}

),

in_place as (

    {# the bytes each path holds now: its latest landing #}
    select *
    from landed_files
    qualify row_number() over (
        partition by source_path
        order by landed_at desc nulls last, report_sha256 asc
    ) = 1

),

identical_copies as (

    select
        in_place.report_sha256,
        in_place.source_path,
        in_place.file_name,
        in_place.landed_at,
        'identical_bytes' as duplicate_kind,
        reports.report_key as duplicate_of_report_key,
        reports.report_sha256 as duplicate_of_sha256,
        reports.source_path as duplicate_of_path

    from in_place
    inner join reports
        on in_place.report_sha256 = reports.report_sha256
    where in_place.source_path <> reports.source_path

),

same_content_copies as (

    select
        copies.report_sha256,
        copies.source_path,
        copies.file_name,
        copies.landed_at,
        'same_content' as duplicate_kind,
        kept.report_key as duplicate_of_report_key,
        kept.report_sha256 as duplicate_of_sha256,
        kept.source_path as duplicate_of_path

    from reports as copies
    inner join reports as kept
        on copies.duplicate_of_sha256 = kept.report_sha256
    where copies.is_duplicate

),

copies as (

    select * from identical_copies
    union all
    select * from same_content_copies

),

duplicate_files as (

    select
        ---------- ids
        {{ surrogate_key(['report_sha256', 'source_path']) }}
            as duplicate_file_key,
        duplicate_of_report_key,

        ---------- attributes
        duplicate_kind,

        ---------- file
        source_path,
        file_name,
        duplicate_of_path,

        ---------- timestamps
        landed_at,

        ---------- natural key
        report_sha256,
        duplicate_of_sha256

    from copies

)

select * from duplicate_files
