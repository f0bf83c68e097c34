{#
    Agency names are compared after removing all whitespace (ASCII, full-width
    U+3000 and no-break space), because reports split names across lines and
    pad them with spaces. An empty result counts as unknown (NULL).
#}
{% macro normalise_agency_name(column) -%}
    nullif(
        regexp_replace({{ column }}, '[\s\x{3000}\x{00a0}]+', '', 'g'),
        ''
    )
{%- endmacro %}
