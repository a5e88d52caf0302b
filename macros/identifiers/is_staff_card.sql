{#
    True when the loyalty card number, spaces and dashes removed, is one of the staff cards
    of the var `staff_cards` (swiped for customers who have no card of their own); false
    for any other card, null when no card was given.
#}
{% macro is_staff_card(column) -%}
    {%- set card = "regexp_replace(" ~ column ~ ", '[\\s.-]', '', 'g')" -%}
    case
        when nullif({{ card }}, '') is null then null
        else upper({{ card }}) in {{ sql_string_list(var('staff_cards'), case='upper') }}
    end
{%- endmacro %}
