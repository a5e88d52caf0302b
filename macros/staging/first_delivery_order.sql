{#
    The delivery order of a record's first version: a window expression to select beside
    `deduplicate_latest`, over the same key:

        select
            *,
            {{ first_delivery_order('order_id') }} as _first_delivery_order

        from renamed
        {{ deduplicate_latest('order_id', 'updated_at') }}

    It is `min(_file_id * 1e9 + _source_line)` over every version of the record (the
    window is computed before `qualify` keeps the latest version): a record updated later
    keeps the place it had when first delivered.
#}
{% macro first_delivery_order(partition_by) -%}
    {%- set partition_by = [partition_by] if partition_by is string else partition_by -%}
    min(_file_id * 1000000000 + _source_line) over (partition by {{ partition_by | join(', ') }})
{%- endmacro %}
