{#
    A business reference typed by people or systems (order ids and order references,
    loyalty member ids): every whitespace removed, a leading `#` removed, upper case
    (` #ord-1042 ` -> `ORD-1042`, `m 000123` -> `M000123`); null when empty. Apply it to
    both sides of a reference (the order's own id and the calls, tickets, messages that
    mention it) so that they compare equal.
#}
{% macro clean_reference(column) -%}
    nullif(ltrim(upper(regexp_replace({{ column }}, '\s+', '', 'g')), '#'), '')
{%- endmacro %}
