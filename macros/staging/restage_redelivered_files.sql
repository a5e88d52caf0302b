{#
    Pre-hook of the incremental staging tables (dbt_project.yml). A corrected re-delivery of
    a file (`redelivered_file_ids`) may drop a record, drop a newer version, or lower an
    `updated_at`: the loader deleted the rows of the version it replaces from raw, which
    merging new rows cannot undo. The records it can change are those whose stored version,
    or whose first delivery (`_first_delivery_order` = file_id * 1e9 + line), came from a
    corrected file and is not repeated by the correction: the loader keeps as it was (load
    id and time) a row that the correction repeats on its line with every value equal
    (omni/landing/loader.py), so a raw row of that file at that line loaded no later than
    the table's latest `_loaded_at` is the very row the table was built from. A version of
    another record that the file held had lost to the stored one, and the correction's new
    rows are merged as usual.

    This hook copies those records' keys to `restaged_keys_relation()` and deletes their rows
    from the table, in the model's transaction (columns `restaged_<key>`);
    `where_loaded_since_last_run` then reads the raw rows loaded since the last run and every
    version still in raw of the restaged records, which `deduplicate_incremental`
    deduplicates again as a full rebuild would; a record that no version in raw holds any
    more stays out. The records that the correction repeats, and the other records, are not
    rewritten. Expands to nothing when no file was corrected, in a first build, a
    --full-refresh, or a view.
#}
{% macro restage_redelivered_files() -%}
    {%- set file_ids = redelivered_file_ids() -%}
    {%- if file_ids -%}
    {%- set keys = config.get('unique_key') -%}
    {%- set keys = [keys] if keys is string else keys -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- set raw = source(model.sources[0][0], model.sources[0][1]) -%}
    {%- set ids = file_ids | join(', ') -%}
    create or replace temp table {{ restaged_keys_relation() }} as
    with

    repeated_rows as (

        select _file_id, _source_line
        from {{ raw }}
        where _file_id in ({{ ids }})
            and _loaded_at <= (select max(_loaded_at) from {{ this }})

    ),

    stored as (

        select * from {{ this }}
        where _file_id in ({{ ids }})
        {%- if '_first_delivery_order' in columns %}
            or _first_delivery_order // 1000000000 in ({{ ids }})
        {%- endif %}

    ),

    version_changed as (

        select stored.*
        from stored
        anti join repeated_rows
            on repeated_rows._file_id = stored._file_id
            and repeated_rows._source_line = stored._source_line
        where stored._file_id in ({{ ids }})

    ),
    {%- if '_first_delivery_order' in columns %}

    first_delivery_changed as (

        select stored.*
        from stored
        anti join repeated_rows
            on repeated_rows._file_id = stored._first_delivery_order // 1000000000
            and repeated_rows._source_line = stored._first_delivery_order % 1000000000
        where stored._first_delivery_order // 1000000000 in ({{ ids }})

    ),
    {%- endif %}

    final as (

        select {{ keys | join(', ') }} from version_changed
        {%- if '_first_delivery_order' in columns %}
        union
        select {{ keys | join(', ') }} from first_delivery_changed
        {%- endif %}

    )

    select distinct
        {%- for key in keys %}
        {{ key }} as restaged_{{ key }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from final;

    delete from {{ this }} as stored
    using {{ restaged_keys_relation() }} as restaged
    where
        {%- for key in keys %}
        {% if not loop.first %}and {% endif %}stored.{{ key }} = restaged.restaged_{{ key }}
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}
