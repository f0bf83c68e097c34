{#
    Select statement giving, per key, the most frequent non-null value of a
    column in a CTE (ties: the smallest value), so attribute votes across a
    report's versions are deterministic.
#}
{% macro most_frequent(relation, key_column, value_column) -%}
    select
        {{ key_column }},
        {{ value_column }},

    from (
        select
            {{ key_column }},
            {{ value_column }},
            count(*) as vote_count,

        from {{ relation }}
        where {{ value_column }} is not null
        group by {{ key_column }}, {{ value_column }}
    )
    qualify row_number() over (
        partition by {{ key_column }}
        order by vote_count desc, {{ value_column }}
    ) = 1
{%- endmacro %}
