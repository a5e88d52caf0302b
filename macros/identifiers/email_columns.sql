{#
    The three email columns of a staging model, from one raw email expression:
    `email` (clean_email), `email_canonical` (canonicalize_email) and
    `has_placeholder_email` (is_placeholder_email, false when no email was given).

        select {{ email_columns("traits ->> '$.email'") }}, ...
#}
{% macro email_columns(column) -%}
    {{ clean_email(column) }} as email,
    {{ canonicalize_email(column) }} as email_canonical,
    coalesce({{ is_placeholder_email(column) }}, false) as has_placeholder_email
{%- endmacro %}
