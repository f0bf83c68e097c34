{#
    The 9-character 组织机构代码 of an agency from the code printed in its
    索引号: a 9-character code as is (hyphen removed, '00266827-4' →
    '002668274'), or characters 9–17 of an 18-character 统一社会信用代码,
    which embeds it. Anything else gives NULL.
#}
{% macro normalise_org_code(column) -%}
    case length(regexp_replace(upper({{ column }}), '[^0-9A-Z]', '', 'g'))
        when 9 then regexp_replace(upper({{ column }}), '[^0-9A-Z]', '', 'g')
        when 18 then substr(
            regexp_replace(upper({{ column }}), '[^0-9A-Z]', '', 'g'), 9, 9
        )
    end
{%- endmacro %}
