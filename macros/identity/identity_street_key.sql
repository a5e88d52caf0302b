{#
    An address line reduced to what identifies the street: accents removed, lower case,
    punctuation a separator, street-type words and abbreviations of the var
    `identity_street_type_words` dropped (`12 av. Victor-Hugo` and `12 Avenue Victor Hugo`
    give `12 victor hugo`). Null when empty.
#}
{% macro identity_street_key(address_expression) -%}
    {%- set words = var('identity_street_type_words', []) -%}
    nullif(array_to_string(list_filter(
        string_split(regexp_replace(lower(strip_accents(coalesce({{ address_expression }}, ''))), '[^a-z0-9]+', ' ', 'g'), ' '),
        token -> token <> ''{% if words %} and token not in {{ sql_string_list(words) }}{% endif %}
    ), ' '), '')
{%- endmacro %}
