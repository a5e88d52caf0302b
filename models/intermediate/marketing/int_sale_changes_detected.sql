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
    every sale. An incremental run flags the sales that are new or whose row changed (a
    correction, a new exchange rate, another customer after a merge), the sales credited to
    a customer whose touches may have changed (int_customer_changes_detected), and the sales
    redeeming the promo code of a direct-mail piece loaded since the previous run.
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
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

changed as (

    select * from sales
    where order_key in (
        select order_key from (
            select * from sales
            except
            select * exclude (changed_at, _loaded_at) from {{ this }}
        )
    )
        or credited_customer_id in ({{ changed_keys('int_customer_changes_detected', 'customer_id') }})
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
        (select max(_loaded_at) from interactions) as _loaded_at,

    from changed

)

select * from final
