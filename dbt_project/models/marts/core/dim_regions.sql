with

divisions as (

    select * from {{ ref('int_admin_divisions_leveled') }}

),

regions as (

    select
        ---------- ids
        {{ surrogate_key(['region_code']) }} as region_key,
        region_code,
        province_code,
        prefecture_code,
        county_code,

        ---------- attributes
        region_name,
        region_level,
        province_name,
        prefecture_name,
        county_name,
        concat_ws(
            '', province_name, prefecture_name, county_name
        ) as full_name,

        ---------- booleans
        is_placeholder

    from divisions

)

select * from regions
