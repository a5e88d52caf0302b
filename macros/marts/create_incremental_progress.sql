{#
    on-run-start hook: the table where the models recomputed per customer or per sale
    record their builds (macros record_incremental_progress and changed_keys).
#}
{% macro create_incremental_progress() -%}
    create schema if not exists audit;
    create table if not exists audit.dbt_incremental_progress (
        model_name varchar not null,
        processed_until timestamp not null,
        recorded_at timestamp with time zone not null
    )
{%- endmacro %}
