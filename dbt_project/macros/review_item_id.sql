{#
    The stable id of something a reviewer can decide about, the one home of
    its shape (the CLI and the app read it from the marts):
      f:<sha256[:16]>:<rule_id>                     a rule finding
      c:<sha256[:16]>:<table>.<row>.<column>        a table cell
      r:<sha256[:16]>                               a report (agency, year, 汇总)
    The report's bytes are part of the id, so a decision never follows a
    file whose bytes changed, and a re-extraction of the same bytes keeps it.
#}
{% macro review_item_id(kind, sha256, parts=[]) -%}
    {%- set shown = ["'" ~ kind ~ ":'", "left(" ~ sha256 ~ ", 16)"] -%}
    {%- for part in parts -%}
        {%- do shown.append(("':'" if loop.first else "'.'")) -%}
        {%- do shown.append("cast(" ~ part ~ " as varchar)") -%}
    {%- endfor -%}
    ({{ shown | join(' || ') }})
{%- endmacro %}
