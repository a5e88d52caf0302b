{#-
    Revenue per day and sales channel. A new customer is counted on the day and in the
    channel of their first sale.
-#}
with

orders as (

    select * from {{ ref('fct_orders') }}

),

first_sales as (

    select * from {{ ref('int_first_sales_identified') }}

),

flagged as (

    select
        orders.*,
        first_sales.order_key is not null as is_first_sale,
        {{ is_purchase('orders') }} as is_purchase,

    from orders
    left join first_sales
        on orders.order_key = first_sales.order_key

),

daily as (

    select
        ordered_date as revenue_date,
        sales_channel,
        count(*) filter (where is_purchase) as orders,
        count(*) filter (where is_return) as returns,
        count(distinct customer_id) filter (where is_purchase) as customers,
        count(*) filter (where is_first_sale) as new_customers,
        sum(net_revenue_eur) filter (where is_purchase) as sales_revenue_eur,
        sum(net_revenue_eur) as net_revenue_eur,

    from flagged
    group by ordered_date, sales_channel

),

final as (

    select
        {{ generate_surrogate_key(['revenue_date', 'sales_channel']) }} as channel_revenue_day_id,
        revenue_date,
        sales_channel,
        cast(orders as integer) as orders,
        cast(returns as integer) as returns,
        cast(customers as integer) as customers,
        cast(new_customers as integer) as new_customers,
        cast(coalesce(net_revenue_eur, 0) as decimal(18, 2)) as net_revenue_eur,
        cast(round(sales_revenue_eur / nullif(orders, 0), 2) as decimal(18, 2)) as average_order_eur,

    from daily

)

select * from final
