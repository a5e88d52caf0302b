{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    What each customer bought (fct_orders): lifetime net revenue and purchases, overall and per
    sales channel, first and last purchase, and the average gap between purchases.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
{%- set sales_channels = ['web', 'app', 'phone', 'store'] %}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

orders as (

    select * from {{ ref('fct_orders') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

flagged as (

    select
        customer_id,
        sales_channel,
        ordered_at,
        net_revenue_eur,
        is_return,
        {{ is_purchase() }} as is_purchase,

    from orders
    where customer_id is not null

),

aggregated as (

    select
        customer_id,
        sum(net_revenue_eur) as net_revenue_eur,
        count(*) filter (where is_purchase) as purchases,
        count(*) filter (where is_return) as returns,
        min(ordered_at) filter (where is_purchase) as first_purchase_at,
        max(ordered_at) filter (where is_purchase) as last_purchase_at,
        count(distinct sales_channel) filter (where is_purchase) as purchase_channels,
        {% for channel in sales_channels %}
        coalesce(sum(net_revenue_eur) filter (where sales_channel = '{{ channel }}'), 0)
            as {{ channel }}_net_revenue_eur,
        count(*) filter (where is_purchase and sales_channel = '{{ channel }}') as {{ channel }}_purchases,
        {% endfor %}

    from flagged
    group by customer_id

),

final as (

    select
        *,
        case
            when purchases > 1
                then (epoch(last_purchase_at) - epoch(first_purchase_at)) / 86400.0 / (purchases - 1)
        end as average_days_between_purchases,

    from aggregated

)

select * from final
