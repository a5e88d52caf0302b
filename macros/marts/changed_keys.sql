{#
    The keys a change tracker (int_customer_changes_detected, int_sale_changes_detected)
    flagged in its latest run: a subquery, for the incremental models that recompute only
    those customers or sales.
#}
{% macro changed_keys(tracker, key_column) -%}
    select {{ key_column }} from {{ ref(tracker) }}
    where changed_at = (select max(changed_at) from {{ ref(tracker) }})
{%- endmacro %}
