{#
    One row per agency spelling (the qualified name when the extractor
    placed the agency in its divisions, else the name as stated; whitespace
    removed) with the canonical name it is compared by:

    1. a name ending in a common abbreviation is spelled out
       (reference_agency_abbreviations: 台州市经信委 → 台州市经济和信息化委员会);
    2. a place named for its body takes the body's formal name (肖村乡 →
       肖村乡人民政府, 西长安街街道 → 西长安街街道办事处, 平潭综合实验区 →
       平潭综合实验区管理委员会, 淮安市政府 → 淮安市人民政府, and a bare
       region name reporting as its government → X人民政府);
    3. a spelling the user lists in reference_agency_aliases takes the
       canonical name given there (renamings, abbreviations no rule covers).

    Two spellings with one canonical name are one agency unless a trusted
    organisation code says otherwise (int_agencies_identified).
#}

with

reports as (

    select * from {{ ref('int_reports_reviewed') }}

),

abbreviations as (

    select * from {{ ref('reference_agency_abbreviations') }}

),

aliases as (

    select
        {{ normalise_agency_name('alias_name') }} as alias_name,
        {{ normalise_agency_name('canonical_name') }} as canonical_name

    from {{ ref('reference_agency_aliases') }}

),

spellings as (

    select
        {{ normalise_agency_name(
            'coalesce(agency_qualified, agency_name)'
        ) }} as agency_spelling,
        {# the extractor derives the kind from the name: one per spelling #}
        min(body_type) as body_type

    from reports
    group by all

),

named_spellings as (

    select * from spellings
    where agency_spelling is not null

),

abbreviation_matches as (

    {# the longest abbreviation the spelling ends with, unless it already
       ends with the formal wording (人民政府办公室 ends with 政府办公室) #}
    select
        named_spellings.agency_spelling,
        abbreviations.abbreviation,
        abbreviations.full_form

    from named_spellings
    inner join abbreviations
        on
            ends_with(
                named_spellings.agency_spelling, abbreviations.abbreviation
            )
            and not ends_with(
                named_spellings.agency_spelling, abbreviations.full_form
            )
    qualify row_number() over (
        partition by named_spellings.agency_spelling
        order by length(abbreviations.abbreviation) desc
    ) = 1

),

spelled_out as (

    select
        named_spellings.agency_spelling,
        named_spellings.body_type,
        case
            when abbreviation_matches.abbreviation is not null
                then left(
                    named_spellings.agency_spelling,
                    length(named_spellings.agency_spelling)
                    - length(abbreviation_matches.abbreviation)
                ) || abbreviation_matches.full_form
            else named_spellings.agency_spelling
        end as spelled_name

    from named_spellings
    left join abbreviation_matches
        on
            named_spellings.agency_spelling
            = abbreviation_matches.agency_spelling

),

formal_names as (

    select
        agency_spelling,
        case
            when regexp_matches(spelled_name, '(乡|镇|苏木)$')
                then spelled_name || '人民政府'
            when ends_with(spelled_name, '街道')
                then spelled_name || '办事处'
            when
                regexp_matches(
                    spelled_name, '(开发区|高新区|实验区|示范区|试验区|合作区)$'
                ) and body_type = 'dev_zone_committee'
                then spelled_name || '管理委员会'
            when
                ends_with(spelled_name, '政府')
                and not ends_with(spelled_name, '人民政府')
                then left(spelled_name, length(spelled_name) - 2) || '人民政府'
            when
                body_type = 'people_government'
                and regexp_matches(spelled_name, '(省|市|县|区|旗|州|盟)$')
                then spelled_name || '人民政府'
            else spelled_name
        end as formal_name

    from spelled_out

),

canonical as (

    select
        ---------- ids
        formal_names.agency_spelling,
        coalesce(
            by_spelling.canonical_name,
            by_formal_name.canonical_name,
            formal_names.formal_name
        ) as canonical_name,

        ---------- booleans
        (
            by_spelling.alias_name is not null
            or by_formal_name.alias_name is not null
        ) as is_user_alias

    from formal_names
    left join aliases as by_spelling
        on formal_names.agency_spelling = by_spelling.alias_name
    left join aliases as by_formal_name
        on formal_names.formal_name = by_formal_name.alias_name

)

select * from canonical
