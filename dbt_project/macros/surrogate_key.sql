{#
    md5 over the natural-key parts, NULL-safe: each part is cast to varchar and
    a NULL becomes a fixed marker, so (NULL, 'a') and ('', 'a') get different
    keys. Same contract as dbt_utils.generate_surrogate_key, which we cannot
    install (no access to hub.getdbt.com).
#}
{% macro surrogate_key(field_list) -%}
    {%- set parts = [] -%}
    {%- for field in field_list -%}
        {%- do parts.append(
            "coalesce(cast(" ~ field ~ " as varchar), '_xxgk_null_')"
        ) -%}
    {%- endfor -%}
    md5({{ parts | join(" || '-' || ") }})
{%- endmacro %}
