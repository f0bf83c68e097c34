{#
    Division codes (GB/T 2260) with their level and parents, read from the
    code itself: xx0000 is a province, xxxx00 a prefecture, anything else a
    county. 市辖区, 县 and 省直辖县级行政区划 are placeholder groupings of the
    code table, not prefectures: their name is never used as a prefecture
    name.
#}

with

divisions as (

    select * from {{ ref('reference_admin_divisions') }}

),

leveled as (

    select
        ---------- ids
        region_code,
        substr(region_code, 1, 2) || '0000' as province_code,
        case
            when substr(region_code, 3, 4) <> '0000'
                then substr(region_code, 1, 4) || '00'
        end as prefecture_code,

        ---------- attributes
        region_name,
        case
            when substr(region_code, 3, 4) = '0000' then 'province'
            when substr(region_code, 5, 2) = '00' then 'prefecture'
            else 'county'
        end as region_level,
        region_name in (
            '市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'
        ) as is_placeholder

    from divisions

),

named as (

    select
        ---------- ids
        leveled.region_code,
        leveled.province_code,
        leveled.prefecture_code,
        case
            when leveled.region_level = 'county' then leveled.region_code
        end as county_code,

        ---------- attributes
        leveled.region_name,
        leveled.region_level,
        provinces.region_name as province_name,
        case
            when not prefectures.is_placeholder then prefectures.region_name
        end as prefecture_name,
        case
            when leveled.region_level = 'county' then leveled.region_name
        end as county_name,
        leveled.is_placeholder

    from leveled
    left join leveled as provinces
        on leveled.province_code = provinces.region_code
    left join leveled as prefectures
        on leveled.prefecture_code = prefectures.region_code

)

select * from named
