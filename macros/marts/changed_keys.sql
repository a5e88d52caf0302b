{#
    The keys a change tracker (int_customer_changes_detected, int_sale_changes_detected)
    flagged since the model that calls it was last built: a subquery, for the incremental
    models that recompute only those customers or sales. The model's progress is the start
    of its last successful build (macro last_processed_at): a key flagged in a run where the
    model failed or was not selected is recomputed by the model's next build.
#}
{% macro changed_keys(tracker, key_column) -%}
    select {{ key_column }} from {{ ref(tracker) }}
    where changed_at > {{ last_processed_at() }}
{%- endmacro %}
