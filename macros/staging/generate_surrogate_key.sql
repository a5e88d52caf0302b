{#
    A deterministic key (md5, VARCHAR) from several columns, for records whose natural key
    is composite. Same behaviour as dbt_utils.generate_surrogate_key: every value is cast
    to text, a null becomes the marker `_dbt_utils_surrogate_key_null_`, values are joined
    with `-`, so (a, null) and (null, a) give different keys.
#}
{% macro generate_surrogate_key(field_list) -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append(
            "coalesce(cast(" ~ field ~ " as varchar), '_dbt_utils_surrogate_key_null_')"
        ) -%}
    {%- endfor -%}
    md5({{ fields | join(" || '-' || ") }})
{%- endmacro %}
