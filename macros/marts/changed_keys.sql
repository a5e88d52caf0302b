{#
    The keys a change tracker (int_customer_changes_detected, int_sale_changes_detected)
    flagged in this dbt run: a subquery, for the incremental models that recompute only
    those customers or sales. A run in which the tracker flags nothing, or does not run,
    recomputes nothing.
#}
{% macro changed_keys(tracker, key_column) -%}
    select {{ key_column }} from {{ ref(tracker) }}
    where changed_at = cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
