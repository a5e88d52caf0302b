{{
    config(
        materialized='incremental',
        unique_key='order_key',
        incremental_strategy='delete+insert',
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    Every sale with what its attribution depends on (the customer, time and promo code it is
    credited with: a return's are those of the sale it returns), and the sales whose
    attribution a run must recompute (macro changed_keys), on load time. A full build flags
    every sale. An incremental run flags the sales fct_orders wrote since the previous run
    (new, corrected, converted again at a new exchange rate) and the returns of those, the
    sales of or credited to a customer int_customer_changes_detected flagged (their touches
    may have changed, or identity moved a sale to or away from them), and the sales redeeming
    the promo code of a direct-mail piece loaded since the previous run.
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}, {{ ref('int_fx_rates_completed') }}
with

-- import CTEs read more than once are `not materialized`: each reader scans the
-- table again instead of a copy of it being held in memory
orders as not materialized (

    select * from {{ ref('fct_orders') }}

),

interactions as not materialized (

    select * from {{ ref('fct_interactions') }}

),

sales as (

    select
        returned.order_key,
        returned.customer_id,
        returned.sales_channel,
        returned.ordered_at,
        returned.net_revenue_eur,
        coalesce(original.customer_id, returned.customer_id) as credited_customer_id,
        coalesce(original.ordered_at, returned.ordered_at) as credited_at,
        coalesce(original.promo_code, returned.promo_code) as promo_code,

    from orders as returned
    left join orders as original
        on returned.original_order_key = original.order_key

),

{% if is_incremental() %}

-- the sales fct_orders wrote since this model's previous run (loaded since, or converted
-- again at a rate loaded since), found by load time and rate date rather than by comparing
-- every sale with its stored row
rewritten as (

    {{ sales_since_last_build(ref('fct_orders'), 'fx_date') }}

),

changed_customers as (

    {{ changed_keys('int_customer_changes_detected', 'customer_id') }}

),

changed as (

    select * from sales
    where order_key in (select order_key from rewritten)
        -- a return is credited with the customer, time and promo code of the sale it returns
        or order_key in (
            select order_key from orders
            where original_order_key in (select order_key from rewritten)
        )
        -- a customer whose touches may have changed, or who gained a sale: identity flags
        -- both customers of a record it moved, whose sale fct_orders' post-hook moved
        or customer_id in (select customer_id from changed_customers)
        or credited_customer_id in (select customer_id from changed_customers)
        -- a sale that left a flagged customer (for another one, or for none)
        or order_key in (
            select order_key from {{ this }}
            where customer_id in (select customer_id from changed_customers)
                or credited_customer_id in (select customer_id from changed_customers)
        )
        or promo_code in (
            select promo_code from interactions
            where source = 'direct_mail'
                and _loaded_at > (select max(_loaded_at) from {{ this }})
        )

),

{% else %}

changed as (

    select * from sales

),

{% endif %}

final as (

    select
        *,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp) as changed_at,
        -- the next run's watermark: the earlier of the latest load time of the timeline and
        -- of the sales, so that a sale fct_orders writes after this run is newer, even if
        -- fct_orders lags behind the timeline
        least(
            (select max(_loaded_at) from interactions),
            (select max(_loaded_at) from orders)
        ) as _loaded_at,

    from changed

)

select * from final
