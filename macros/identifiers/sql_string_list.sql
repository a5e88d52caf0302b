{#
    Render a list of strings as a SQL list of lower-case literals: ('a', 'b').
    Single quotes inside values are doubled. An empty list renders as (null), which
    matches nothing.
#}
{% macro sql_string_list(values, case='lower') -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- set value = value | string -%}
        {%- set value = value | lower if case == 'lower' else (value | upper if case == 'upper' else value) -%}
        {%- do literals.append("'" ~ value | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    ({{ literals | join(', ') if literals else 'null' }})
{%- endmacro %}
