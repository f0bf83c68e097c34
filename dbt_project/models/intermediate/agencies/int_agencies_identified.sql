{#
    One row per agency name spelling (whitespace removed) with the identity
    of the agency it belongs to.

    Spellings that print the same organisation code (组织机构代码, or the one
    embedded in a 统一社会信用代码) in their 索引号 are one agency, so a rename
    or abbreviation keeps its history (市经信委 → 市经信局). A code is trusted
    only if no report year shows it with two different spellings: a portal
    that stamps its own code on every department's report would otherwise
    merge different agencies. Without a trusted code, the spelling is the
    identity.
#}

with

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

spellings as (

    select
        {{ normalise_agency_name('agency_name') }} as agency_name,
        report_year,
        {{ normalise_org_code('agency_org_code') }} as organisation_code,

    from reports

),

named_spellings as (

    select * from spellings where agency_name is not null

),

code_years as (

    select
        organisation_code,
        report_year,
        count(distinct agency_name) as spelling_count,

    from named_spellings
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
        named_spellings.agency_name,
        named_spellings.organisation_code,
        count(*) as vote_count,

    from named_spellings
    inner join trusted_codes
        on named_spellings.organisation_code = trusted_codes.organisation_code
    group by named_spellings.agency_name, named_spellings.organisation_code

),

spelling_codes as (

    {# a spelling seen with several trusted codes takes the most frequent #}
    select agency_name, organisation_code
    from spelling_code_votes
    qualify row_number() over (
        partition by agency_name
        order by vote_count desc, organisation_code
    ) = 1

),

agency_spellings as (

    select distinct agency_name from named_spellings

),

identified as (

    select
        ---------- ids
        agency_spellings.agency_name,
        coalesce(
            'org:' || spelling_codes.organisation_code,
            agency_spellings.agency_name
        ) as agency_id,

        ---------- attributes
        spelling_codes.organisation_code,

    from agency_spellings
    left join spelling_codes
        on agency_spellings.agency_name = spelling_codes.agency_name

)

select * from identified
