{#
    True when a phone was given, is not a placeholder (is_placeholder_phone) and cannot be
    read as a French or North American number (parse_phone gives null): wrong number of
    digits, another country, a typo. False when it was parsed or is a placeholder, null when
    no phone was given. Such numbers are nulled by clean_phone.
#}
{% macro is_invalid_phone(column) -%}
    case
        when nullif(trim({{ column }}), '') is null then null
        when {{ is_placeholder_phone(column) }} then false
        else {{ parse_phone(column) }} is null
    end
{%- endmacro %}
