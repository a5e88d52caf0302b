{#
    A phone number in E.164 (`+33612345678`, `+15145550199`), parsed by parse_phone; null
    when empty, a placeholder (is_placeholder_phone) or not parseable (is_invalid_phone).
#}
{% macro clean_phone(column) -%}
    case
        when coalesce({{ is_placeholder_phone(column) }}, true) then null
        else {{ parse_phone(column) }}
    end
{%- endmacro %}
