{#
    Post-hook of the models that recompute the keys of a change tracker (macro
    changed_keys): records that the model was built in this run, so that its next
    incremental build recomputes what the trackers flagged after this run's start.
    The table audit.dbt_incremental_progress is created by the project's on-run-start hook
    (macro create_incremental_progress).
#}
{% macro record_incremental_progress() -%}
    insert into audit.dbt_incremental_progress (model_name, processed_until, recorded_at)
    values (
        '{{ this.schema }}.{{ this.identifier }}',
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp),
        current_timestamp
    )
{%- endmacro %}
