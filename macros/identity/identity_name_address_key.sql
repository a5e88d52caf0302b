{#
    The exact name + postal address key of a record: sorted name tokens
    (identity_name_tokens of first and last name together), postcode without spaces, and
    the street key (identity_street_key: house number and street name without its type).
    Null when the name, the postcode or the street is missing: only complete keys link.
#}
{% macro identity_name_address_key(first_name, last_name, address_line1, postcode) -%}
    case
        when {{ identity_name_tokens("coalesce(" ~ first_name ~ ", '') || ' ' || coalesce(" ~ last_name ~ ", '')") }} is null
            or nullif(regexp_replace(upper(coalesce({{ postcode }}, '')), '\s+', '', 'g'), '') is null
            or {{ identity_street_key(address_line1) }} is null
            then null
        else
            {{ identity_name_tokens("coalesce(" ~ first_name ~ ", '') || ' ' || coalesce(" ~ last_name ~ ", '')") }}
            || '|' || regexp_replace(upper({{ postcode }}), '\s+', '', 'g')
            || '|' || {{ identity_street_key(address_line1) }}
    end
{%- endmacro %}
