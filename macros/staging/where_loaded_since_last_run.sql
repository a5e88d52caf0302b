{#
    The incremental filter of a staging table on load time: in an incremental run, expands to

        where _loaded_at > coalesce((select max(_loaded_at) from {{ this }}), '-infinity')

    and to nothing otherwise (first build, --full-refresh). Put it in the `source` import CTE,
    so that renaming, casting and JSON parsing only see the raw rows loaded since the table's
    last run (an empty table takes every row). `deduplicate_incremental` then merges those
    rows with the versions already in the table.
#}
{% macro where_loaded_since_last_run() -%}
    {%- if is_incremental() -%}
    where _loaded_at > coalesce((select max(_loaded_at) from {{ this }}), timestamp '-infinity')
    {%- endif -%}
{%- endmacro %}
