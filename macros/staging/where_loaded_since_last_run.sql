{#
    The incremental filter of a staging table on load time: in an incremental run, expands to

        where _loaded_at > coalesce((select max(_loaded_at) from {{ this }}), '-infinity')

    and to nothing otherwise (first build, --full-refresh). Put it in the `source` import CTE,
    so that renaming, casting and JSON parsing only see the raw rows loaded since the table's
    last run (an empty table takes every row). `deduplicate_incremental` then merges those
    rows with the versions already in the table. After a corrected re-delivery
    (`redelivered_file_ids`), expands to nothing: the run reads every raw row, of which
    `deduplicate_incremental` keeps those loaded since the last run and those of the
    records that `restage_redelivered_files` restages (their versions were loaded at any
    time; the filter is on renamed keys, which only the model's `renamed` CTE computes).
#}
{% macro where_loaded_since_last_run() -%}
    {%- if is_incremental() and not redelivered_file_ids() -%}
    where _loaded_at > coalesce((select max(_loaded_at) from {{ this }}), timestamp '-infinity')
    {%- endif -%}
{%- endmacro %}
