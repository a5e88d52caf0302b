{{
    config(
        materialized='incremental',
        unique_key='order_key',
        incremental_strategy='delete+insert',
        post_hook=[
            "{{ refresh_customer_ids('order_key') }}",
            "{{ record_incremental_progress() }}",
        ],
    )
}}
{#-
    Every sale: online orders (web, app, phone) at their latest version and store receipts
    (returns negative), with their customer and their net revenue in EUR.

    Incremental on load time: a run converts the sales loaded since the previous one, and
    again those a newly loaded exchange rate applies to; the post-hook moves rows already
    built to their current customer.
-#}
with

orders as (

    {{ sales_since_last_build(ref('stg_ecommerce__orders'), 'created_at') }}

),

receipts as (

    -- a receipt converts at the rate of its local date
    {{ sales_since_last_build(ref('stg_pos__transactions'), 'transacted_local_at') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_completed') }}

),

customer_records as (

    select * from {{ ref('int_identity_records_clustered') }}

),

online_orders as (

    select
        {{ identity_record_key('ecommerce', 'orders', 'order_id') }} as order_key,
        'ecommerce' as source,
        order_id as source_record_id,
        sales_channel,
        order_status,
        'sale' as transaction_type,
        false as is_return,
        cast(null as varchar) as original_order_key,
        created_at as ordered_at,
        -- an order is converted at the rate of its UTC date
        cast(created_at as date) as fx_date,
        cast(null as varchar) as store_id,
        pickup_store_id,
        fulfilment_method,
        promo_code,
        cast(null as varchar) as payment_method,
        cast(null as integer) as item_count,
        is_guest_checkout,
        currency,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        refunded_amount,
        case
            when order_status in ('cancelled', 'pending') then cast(0 as decimal(18, 2))
            else total_amount - refunded_amount
        end as net_revenue,
        _loaded_at,

    from orders

),

store_receipts as (

    select
        {{ identity_record_key('pos', 'transactions', 'receipt_id') }} as order_key,
        'pos' as source,
        receipt_id as source_record_id,
        'store' as sales_channel,
        cast(null as varchar) as order_status,
        transaction_type,
        is_return,
        case
            when original_receipt_id is not null
                then {{ identity_record_key('pos', 'transactions', 'original_receipt_id') }}
        end as original_order_key,
        transacted_at as ordered_at,
        -- a receipt is converted at the rate of its local date
        cast(transacted_local_at as date) as fx_date,
        store_id,
        cast(null as varchar) as pickup_store_id,
        cast(null as varchar) as fulfilment_method,
        promo_code,
        payment_method,
        item_count,
        cast(null as boolean) as is_guest_checkout,
        currency,
        cast(null as decimal(18, 2)) as subtotal_amount,
        cast(null as decimal(18, 2)) as discount_amount,
        cast(null as decimal(18, 2)) as shipping_amount,
        cast(null as decimal(18, 2)) as tax_amount,
        total_amount,
        cast(null as decimal(18, 2)) as refunded_amount,
        total_amount as net_revenue,
        _loaded_at,

    from receipts

),

sales as (

    select * from online_orders
    union all
    select * from store_receipts

),

converted as (

    select
        sales.*,
        fx_rates.rate_to_eur as fx_rate_to_eur,
        round(sales.net_revenue * fx_rates.rate_to_eur, 2) as net_revenue_eur,

    from sales
    asof left join fx_rates
        on sales.currency = fx_rates.currency
        and sales.fx_date >= fx_rates.rate_date

),

final as (

    select
        converted.order_key,
        converted.source,
        converted.source_record_id,
        customer_records.customer_id,
        converted.sales_channel,
        converted.order_status,
        converted.transaction_type,
        converted.is_return,
        converted.original_order_key,
        converted.ordered_at,
        cast(converted.ordered_at as date) as ordered_date,
        converted.fx_date,
        converted.store_id,
        converted.pickup_store_id,
        converted.fulfilment_method,
        converted.promo_code,
        converted.payment_method,
        converted.item_count,
        converted.is_guest_checkout,
        converted.currency,
        converted.subtotal_amount,
        converted.discount_amount,
        converted.shipping_amount,
        converted.tax_amount,
        converted.total_amount,
        converted.refunded_amount,
        converted.net_revenue,
        converted.fx_rate_to_eur,
        cast(converted.net_revenue_eur as decimal(18, 2)) as net_revenue_eur,
        converted._loaded_at,

    from converted
    left join customer_records
        on converted.order_key = customer_records.record_key

)

select * from final
