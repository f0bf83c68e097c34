{#
    Row invariant: returns the rows for which the expression is not true.
    Local stand-in for dbt_utils.expression_is_true.
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
