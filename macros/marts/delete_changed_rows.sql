{#
    Pre-hook of the models recomputed per customer or per sale: on an incremental run,
    deletes the rows of the keys the tracker flagged (macro changed_keys) before the model
    appends them again, so that a key left without any row (a customer merged away, a sale
    that lost its touches) loses its old rows too. Nothing on a full build.
#}
{% macro delete_changed_rows(tracker, key_column) -%}
    {%- if is_incremental() -%}
    delete from {{ this }} where {{ key_column }} in ({{ changed_keys(tracker, key_column) }})
    {%- endif -%}
{%- endmacro %}
