{#
    A loyalty card number as one string: spaces, dots and dashes removed, upper case
    (`6034 1234-5678 9012` -> `6034123456789012`); null when empty or a staff card
    (is_staff_card).
#}
{% macro clean_card_number(column) -%}
    {%- set card = "regexp_replace(" ~ column ~ ", '[\\s.-]', '', 'g')" -%}
    case
        when coalesce({{ is_staff_card(column) }}, true) then null
        else upper({{ card }})
    end
{%- endmacro %}
