{#
    The email as written, trimmed and in lower case (`  Marie.Dupont@Gmail.COM ` ->
    `marie.dupont@gmail.com`); null when empty or a placeholder (see is_placeholder_email).
#}
{% macro clean_email(column) -%}
    case
        when coalesce({{ is_placeholder_email(column) }}, true) then null
        else lower(trim({{ column }}))
    end
{%- endmacro %}
