{#
    Scalar subquery: the start of the last successful build of the calling model (or of
    `model`, a relation), as recorded by its post-hook record_incremental_progress in
    audit.dbt_incremental_progress; `-infinity` when it was never recorded (every change is
    then newer). What changed after it is what the model's next build must take into
    account (macros changed_keys, refresh_customer_ids). With `until` (SQL of a timestamp),
    the last build that started at or before it.
#}
{% macro last_processed_at(model=none, until=none) -%}
    {%- set relation = model or this -%}
    (
        select coalesce(max(processed_until), cast('-infinity' as timestamp))
        from audit.dbt_incremental_progress
        where model_name = '{{ relation.schema }}.{{ relation.identifier }}'
        {%- if until is not none %}
            and processed_until <= {{ until }}
        {%- endif %}
    )
{%- endmacro %}
