{#
    Scalar subquery: the start of the last successful build of the calling model, as
    recorded by its post-hook record_incremental_progress in audit.dbt_incremental_progress;
    `-infinity` when it was never recorded (every change is then newer). What changed after
    it is what the model's next build must take into account (macros changed_keys,
    refresh_customer_ids).
#}
{% macro last_processed_at() -%}
    (
        select coalesce(max(processed_until), cast('-infinity' as timestamp))
        from audit.dbt_incremental_progress
        where model_name = '{{ this.schema }}.{{ this.identifier }}'
    )
{%- endmacro %}
