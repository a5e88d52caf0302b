{#
    Pre-hook of the incremental staging tables (dbt_project.yml): when a file of the
    model's extract was delivered again with other content since the table's last run (a
    corrected re-delivery: audit.load_log holds a load, newer than the table's latest
    `_loaded_at`, of a file whose earlier version is `superseded`), empties the table, so
    that this run rebuilds it from every raw row (`where_loaded_since_last_run` then reads
    them all, `deduplicate_incremental` has nothing stored to merge with). The loader
    deletes from raw the rows of the version it replaces (omni/landing/loader.py): a record
    or a version the correction drops, or a later `updated_at` it corrects, must leave
    staging as it left raw, which merging only the new rows cannot do. A corrected file
    without any row is seen too (it is logged). Corrected re-deliveries are rare (landing
    contract): other runs stay incremental. Expands to nothing in a first build, a
    --full-refresh, or a view.
#}
{% macro restage_redelivered_files() -%}
    {%- if is_incremental() -%}
    {%- set source_name, table_name = model.sources[0] -%}
    delete from {{ this }}
    where exists (
        select 1
        from audit.load_log
        where extract = '{{ source_name }}/{{ table_name }}'
            and loaded_at > (select max(_loaded_at) from {{ this }})
            and file_id in (select file_id from audit.load_log where status = 'superseded')
    )
    {%- endif -%}
{%- endmacro %}
