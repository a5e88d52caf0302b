{#
    The latest version of each record of a staging table materialised `incremental`
    (delete+insert on the record key), with exactly the result of a full rebuild: a whole
    `select` statement, to put in the `deduplicated` CTE over the renamed rows:

        deduplicated as (

            {{ deduplicate_incremental('renamed', 'order_id', 'updated_at') }}

        ),

    First build (and --full-refresh): every raw row, the rules of `deduplicate_latest`, plus
    `_first_delivery_order` (macro `first_delivery_order`) unless `with_first_delivery_order` is
    false. Incremental run (`relation` holds only the raw rows loaded since the last run, see
    `where_loaded_since_last_run`): this is the incremental mechanism, not a staging rule.
    The new versions are merged with the version already in `{{ this }}` for the same keys
    (semi join on `partition_by`, the model's `unique_key`) and the same `deduplicate_latest`
    rule picks the winner over their union: an older version delivered late (lower
    `order_by`) never replaces a newer one. `_first_delivery_order` is the min of the stored
    value and of the new versions': a record keeps the place it had when first delivered.
    The stored keys are matched first, on the key columns alone: a day's delivery rarely
    holds a new version of a stored record, and when none matches DuckDB skips reading the
    stored rows' other columns (at 300,000 customers the web events' select took 1.2 s instead
    of 2.0 s; when some match, the table is read once more, key columns only).

    After a corrected re-delivery of a file (which may drop versions, or hold an earlier
    `updated_at` than the version it corrects), the pre-hook `restage_redelivered_files`
    has taken the records the correction can change out of the table and `relation` also
    holds every raw version of them (`where_loaded_since_last_run`): they are deduplicated
    from raw as in a full rebuild, with no stale stored version to merge.
#}
{% macro deduplicate_incremental(relation, partition_by, order_by=[], with_first_delivery_order=true) -%}
    {%- set keys = [partition_by] if partition_by is string else partition_by -%}
    {%- if not is_incremental() -%}
    select
        *{% if with_first_delivery_order %},
        {{ first_delivery_order(keys) }} as _first_delivery_order{% endif %}

    from {{ relation }}
    {{ deduplicate_latest(keys, order_by) }}
    {%- else -%}
    select
        *{% if with_first_delivery_order %} exclude (_first_delivery_order),
        min(_first_delivery_order) over (partition by {{ keys | join(', ') }})
            as _first_delivery_order{% endif %}

    from (
        select
            *{% if with_first_delivery_order %},
            {{ first_delivery_order(keys) }} as _first_delivery_order{% endif %}

        from {{ relation }}

        union all by name

        select stored.*
        from {{ this }} as stored
        semi join (
            select {{ keys | join(', ') }} from {{ this }}
            semi join {{ relation }} using ({{ keys | join(', ') }})
        ) as redelivered using ({{ keys | join(', ') }})
    ) as versions
    {{ deduplicate_latest(keys, order_by) }}
    {%- endif -%}
{%- endmacro %}
