{#
    The division an agency's name starts with: 呼图壁县商务和工业信息化局 →
    呼图壁县 (652323), 台州市经济和信息化委员会 → 台州市 (331000). A name may
    also carry its parents (新疆维吾尔自治区昌吉回族自治州…). The longest
    matching name wins; if it belongs to several divisions (朝阳区 is in
    Beijing and in Changchun) the agency stays unmatched. Abbreviations
    (自治区工信厅, 昌吉州) do not match.
#}

with

agency_spellings as (

    select * from {{ ref('int_agencies_identified') }}

),

divisions as (

    select * from {{ ref('int_admin_divisions_leveled') }}

),

named_divisions as (

    select * from divisions
    where not is_placeholder

),

division_names as (

    {# every way a name can spell the division, parents first #}
    select distinct
        region_code,
        division_name
    from named_divisions,
        unnest([
            region_name,
            province_name || region_name,
            prefecture_name || region_name,
            province_name || prefecture_name || region_name
        ]) as spellings (division_name)
    where
        division_name is not null
        and (region_level <> 'province' or division_name = region_name)

),

prefix_matches as (

    select
        agency_spellings.agency_id,
        division_names.region_code,
        length(division_names.division_name) as match_length

    from agency_spellings
    inner join
        division_names
        {# equi-join on the first two characters keeps this a hash join #}
        on
            left(agency_spellings.agency_spelling, 2)
            = left(division_names.division_name, 2)
            and starts_with(
                agency_spellings.agency_spelling, division_names.division_name
            )

),

longest_matches as (

    select *
    from prefix_matches
    qualify match_length = max(match_length) over (partition by agency_id)

),

unique_matches as (

    select
        agency_id,
        min(region_code) as region_code

    from longest_matches
    group by agency_id
    having count(distinct region_code) = 1

)

select * from unique_matches
