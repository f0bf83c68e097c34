{#
    Referential integrity to a subset of the parent: returns the child rows
    whose value is not a value of the parent rows meeting to_condition.
    Local stand-in for dbt_utils.relationships_where (NULL children pass).
#}
{% test relationships_where(
    model, column_name, to, field, to_condition='true'
) %}


select child.*
from {{ model }} as child
where child.{{ column_name }} is not null
    and child.{{ column_name }} not in (
        select parent.{{ field }}
        from {{ to }} as parent
        where {{ to_condition }}
    )

{% endtest %}
