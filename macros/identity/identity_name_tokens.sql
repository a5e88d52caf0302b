{#
    A person's name as an order-free token string: accents removed, lower case, every run
    of non-alphanumeric characters a separator, tokens sorted and joined by one space
    (`Dupont`, `Marie-Hélène` and `MARIE HELENE`, `dupont` give `dupont helene marie`).
    Swapped first and last names compare equal. Null when no token remains.
#}
{% macro identity_name_tokens(name_expression) -%}
    nullif(array_to_string(list_sort(list_filter(
        string_split(regexp_replace(lower(strip_accents(coalesce({{ name_expression }}, ''))), '[^a-z0-9]+', ' ', 'g'), ' '),
        token -> token <> ''
    )), ' '), '')
{%- endmacro %}
