{#
    The `where` clause of an import CTE in the models recomputed per customer or per sale:
    on an incremental build, keeps the rows of the keys the tracker flagged since the
    model's last build (macro changed_keys); renders nothing on a full build.

        select * from {{ ref('fct_orders') }}
        {{ where_changed('int_customer_changes_detected', 'customer_id') }}
#}
{% macro where_changed(tracker, key_column) -%}
    {%- if is_incremental() -%}
    where {{ key_column }} in ({{ changed_keys(tracker, key_column) }})
    {%- endif -%}
{%- endmacro %}
