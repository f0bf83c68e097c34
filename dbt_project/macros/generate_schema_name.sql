{#
    Use a model's custom schema as-is (staging, main) instead of dbt's default
    "<target_schema>_<custom_schema>", so the marts land in main and
    consumers can query main.dim_reports without a prefix.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
