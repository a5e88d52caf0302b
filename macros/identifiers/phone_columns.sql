{#
    The three phone columns of a staging model, from one raw phone expression:
    `phone` (clean_phone, E.164), `has_placeholder_phone` (is_placeholder_phone) and
    `has_invalid_phone` (is_invalid_phone), both false when no phone was given.

        select {{ phone_columns('phone') }}, ...
#}
{% macro phone_columns(column) -%}
    {{ clean_phone(column) }} as phone,
    coalesce({{ is_placeholder_phone(column) }}, false) as has_placeholder_phone,
    coalesce({{ is_invalid_phone(column) }}, false) as has_invalid_phone
{%- endmacro %}
