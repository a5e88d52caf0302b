{#
    The incremental filter of a staging table on load time, for its `source` CTE, so that
    renaming, casting and JSON parsing only see the raw rows it keeps. In an incremental run:

        where _loaded_at > coalesce((select max(_loaded_at) from {{ this }}), '-infinity')

    (an empty table takes every row), and nothing otherwise (first build, --full-refresh).
    `deduplicate_incremental` then merges those rows with the versions already in the table.

    After a corrected re-delivery (`redelivered_file_ids`) it also keeps every raw version
    of the records that the pre-hook `restage_redelivered_files` took out of the table
    (their keys in `restaged_keys_relation()`), whenever they were loaded. `raw_keys` maps
    each column of the model's `unique_key` to the expression that computes it from the raw
    columns; the model's `renamed` CTE uses the same expressions, so the two cannot differ:

        {%- set raw_keys = {'event_id': "trim(message_id)"} %}
        ...
        {{ where_loaded_since_last_run(raw_keys) }}
        ...
        {{ raw_keys.event_id }} as event_id,
#}
{% macro where_loaded_since_last_run(raw_keys) -%}
    {%- if is_incremental() -%}
    where _loaded_at > coalesce((select max(_loaded_at) from {{ this }}), timestamp '-infinity')
    {%- if redelivered_file_ids() %}
        or exists (
            select 1
            from {{ restaged_keys_relation() }} as restaged
            where
                {%- for key, expression in raw_keys.items() %}
                {% if not loop.first %}and {% endif %}restaged.restaged_{{ key }} = {{ expression }}
                {%- endfor %}
        )
    {%- endif %}
    {%- endif -%}
{%- endmacro %}
