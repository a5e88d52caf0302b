{#
    The temporary table that `restage_redelivered_files` fills with the keys of the records
    it takes out of the model's table, and that `deduplicate_incremental` reads to restage
    them from raw: `temp.main.<model>__restaged_keys`. It lives as long as the dbt
    connection, within the run of the model (the pre-hook and the model's query share its
    transaction).
#}
{% macro restaged_keys_relation() -%}
    temp.main.{{ adapter.quote(this.identifier ~ '__restaged_keys') }}
{%- endmacro %}
