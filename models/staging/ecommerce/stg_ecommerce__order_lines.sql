{{ config(materialized='incremental', unique_key=['order_id', 'line_number']) }}
{%- set raw_keys = {'order_id': clean_reference('order_id'), 'line_number': "cast(line_number as integer)"} %}

with

source as (

    select * from {{ source('ecommerce', 'order_lines') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key([raw_keys.order_id, raw_keys.line_number]) }}
            as order_line_id,
        {{ raw_keys.order_id }} as order_id,
        {{ raw_keys.line_number }} as line_number,

        -- product
        trim(sku) as sku,
        trim(product_name) as product_name,
        trim(category) as category,

        -- quantities and amounts (in the currency of the order, see stg_ecommerce__orders)
        cast(quantity as integer) as quantity,
        cast(unit_price as decimal(18, 2)) as unit_price,
        cast(line_total as decimal(18, 2)) as line_amount,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    {{ deduplicate_incremental(
        'renamed', ['order_id', 'line_number'], with_first_delivery_order=false
    ) }}

),

final as (

    select * from deduplicated

)

select * from final
