{#
    Whether an incremental staging table must be rebuilt from all of raw in this run: true
    when a file of the model's extract (its source) was delivered again with other content
    since the table's last build, per audit.load_log (a load of a file whose earlier version
    is `superseded`). The loader deletes the rows of the version a corrected re-delivery
    replaces; merging new rows one key at a time cannot undo that (the earlier version may
    have held a record, or a later `updated_at`, that the correction drops), so such a run
    rebuilds the table as a first build would: the staging pre-hook (dbt_project.yml)
    deletes every row, and `where_loaded_since_last_run` and `deduplicate_incremental` take
    every raw row. Corrected re-deliveries are rare (landing contract): other runs stay
    incremental. False on a first build, on --full-refresh, for views, at parse time and in
    unit tests (their `this` is a fixture).
#}
{% macro redelivered_since_last_run() -%}
    {%- if not execute or not is_incremental() or model.resource_type == 'unit_test' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set extracts = [] -%}
    {%- for source_name, table_name in model.sources -%}
        {%- do extracts.append("'" ~ source_name ~ "/" ~ table_name ~ "'") -%}
    {%- endfor -%}
    {%- set query -%}
        select count(*) > 0
        from audit.load_log
        where extract in ({{ extracts | join(', ') }})
            and loaded_at > (select max(_loaded_at) from {{ this }})
            and file_id in (select file_id from audit.load_log where status = 'superseded')
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{%- endmacro %}
