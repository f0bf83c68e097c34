{#
    One row per agency spelling (int_agency_spellings: the qualified name,
    else the name as stated; whitespace removed) with the identity of the
    agency it belongs to.

    Spellings that print the same organisation code (组织机构代码, or the one
    embedded in a 统一社会信用代码) in their 索引号 are one agency, so a rename
    keeps its history (市经信委 → 市经信局). A code is trusted only if no
    report year shows it with two different canonical names: a portal that
    stamps its own code on every department's report would otherwise merge
    different agencies. Without a trusted code, the identity is the division
    code (most frequent among the spelling's reports) and the canonical name:
    abbreviations spelled out, a place named for its body given the body's
    formal name, user aliases applied.
#}

with

reports as (

    select * from {{ ref('int_reports_reviewed') }}

),

agency_spellings as (

    select * from {{ ref('int_agency_spellings') }}

),

spellings as (

    select
        agency_spellings.agency_spelling,
        agency_spellings.canonical_name,
        reports.report_year,
        reports.region_code,
        {{ normalise_org_code('reports.agency_org_code') }} as organisation_code

    from reports
    inner join agency_spellings
        on {{ normalise_agency_name(
            'coalesce(reports.agency_qualified, reports.agency_name)'
        ) }} = agency_spellings.agency_spelling

),

code_years as (

    select
        organisation_code,
        report_year,
        count(distinct canonical_name) as spelling_count

    from spellings
    where organisation_code is not null
    group by organisation_code, report_year

),

trusted_codes as (

    select organisation_code
    from code_years
    group by organisation_code
    having max(spelling_count) = 1

),

spelling_code_votes as (

    select
        spellings.agency_spelling,
        spellings.organisation_code,
        count(*) as vote_count

    from spellings
    inner join trusted_codes
        on spellings.organisation_code = trusted_codes.organisation_code
    group by spellings.agency_spelling, spellings.organisation_code

),

spelling_codes as (

    {# a spelling seen with several trusted codes takes the most frequent #}
    select
        agency_spelling,
        organisation_code
    from spelling_code_votes
    qualify row_number() over (
        partition by agency_spelling
        order by vote_count desc, organisation_code asc
    ) = 1

),

canonical_regions as (

    {{ most_frequent('spellings', 'canonical_name', 'region_code') }}

),

identified as (

    select
        ---------- ids
        agency_spellings.agency_spelling,
        coalesce(
            'org:' || spelling_codes.organisation_code,
            coalesce(canonical_regions.region_code, '-')
            || ':' || agency_spellings.canonical_name
        ) as agency_id,

        ---------- attributes
        agency_spellings.canonical_name,
        spelling_codes.organisation_code,
        canonical_regions.region_code

    from agency_spellings
    left join spelling_codes
        on agency_spellings.agency_spelling = spelling_codes.agency_spelling
    left join canonical_regions
        on agency_spellings.canonical_name = canonical_regions.canonical_name

)

select * from identified
