{{ config(materialized='incremental', unique_key='order_id') }}
{%- set raw_keys = {'order_id': clean_reference('order_id')} %}

with

source as (

    select * from {{ source('ecommerce', 'orders') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.order_id }} as order_id,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(pickup_store_id), '') as pickup_store_id,

        -- customer contact
        {{ email_columns('email') }},
        {{ phone_columns('phone') }},
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,

        -- shipping address
        nullif(trim(ship_address_line1), '') as ship_address_line1,
        nullif(upper(trim(ship_postcode)), '') as ship_postcode,
        nullif(trim(ship_city), '') as ship_city,
        nullif(upper(trim(ship_country)), '') as ship_country_code,

        -- order attributes
        lower(trim(status)) as order_status,
        lower(trim(sales_channel)) as sales_channel,
        lower(trim(fulfilment)) as fulfilment_method,
        nullif(upper(trim(promo_code)), '') as promo_code,

        -- amounts
        upper(trim(currency)) as currency,
        cast(subtotal as decimal(18, 2)) as subtotal_amount,
        cast(discount_total as decimal(18, 2)) as discount_amount,
        cast(shipping_total as decimal(18, 2)) as shipping_amount,
        cast(tax_total as decimal(18, 2)) as tax_amount,
        cast(total as decimal(18, 2)) as total_amount,
        cast(refunded_total as decimal(18, 2)) as refunded_amount,

        -- booleans
        nullif(trim(account_id), '') is null as is_guest_checkout,

        -- timestamps
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    -- an order comes again at each status change: keep its latest version
    {{ deduplicate_incremental('renamed', 'order_id', 'updated_at') }}

),

final as (

    select * from deduplicated

)

select * from final
