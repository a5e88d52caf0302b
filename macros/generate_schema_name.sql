{#
    Use the custom schema of a model as it is (`staging`, `marts`...) instead of dbt's
    default `<target_schema>_<custom_schema>`, so that analysts query `marts.customer_360`
    whatever the target.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
