{#
    The `file_id`s of the model's extract that were delivered again with other content since
    the table's last run (corrected re-deliveries): audit.load_log holds a load of the file
    newer than the table's latest `_loaded_at`, and an earlier version of it `superseded`.
    The loader has replaced those files' rows in raw (omni/landing/loader.py). A list of
    integers, read when dbt runs the model (`run_query`, before its pre-hook); empty in a
    first build, a --full-refresh, a view, and at parse time. Used by
    `restage_redelivered_files`, `where_loaded_since_last_run` and `deduplicate_incremental`.
#}
{% macro redelivered_file_ids() -%}
    {%- if not (execute and is_incremental()) -%}
        {{- return([]) -}}
    {%- endif -%}
    {%- set source_name, table_name = model.sources[0] -%}
    {%- set found = run_query(
        "select distinct file_id from audit.load_log"
        ~ " where extract = '" ~ source_name ~ "/" ~ table_name ~ "'"
        ~ " and loaded_at > (select max(_loaded_at) from " ~ this ~ ")"
        ~ " and file_id in (select file_id from audit.load_log where status = 'superseded')"
        ~ " order by file_id"
    ) -%}
    {{- return(found.columns[0].values() | map('int') | list) -}}
{%- endmacro %}
