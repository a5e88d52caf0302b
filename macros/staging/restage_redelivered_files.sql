{#
    Pre-hook of the incremental staging tables (dbt_project.yml): when a raw file was
    re-delivered since the table's last run, empties the table so that this run rebuilds it
    from every raw row (`where_loaded_since_last_run` then reads them all). A corrected
    re-delivery keeps its path's `_file_id` and replaces that file's rows in raw
    (omni/landing/loader.py): versions it drops must leave staging as they left raw, which
    merging only the new rows cannot do. New files always get a higher `_file_id` than any
    before, so a row loaded since the last run with a `_file_id` not above the table's
    highest is a re-delivery. Expands to nothing in a first build, a --full-refresh, or a view.
    Limit: a corrected re-delivery with no rows at all is not seen (rebuild with
    `dbt run --full-refresh`).
#}
{% macro restage_redelivered_files() -%}
    {%- if is_incremental() -%}
    {%- set raw = source(model.sources[0][0], model.sources[0][1]) -%}
    delete from {{ this }}
    where exists (
        select 1
        from {{ raw }}
        where _loaded_at > (select max(_loaded_at) from {{ this }})
            and _file_id <= (select max(_file_id) from {{ this }})
    )
    {%- endif -%}
{%- endmacro %}
