{{ config(meta={'dagster': {'ref': {'name': 'fct_orders'}}}) }}
-- Net revenue per sales channel is the same in fct_orders, channel_revenue_daily, the sales
-- of fct_interactions and (per model) channel_attribution, to the cent.
with

orders as (

    select sales_channel, sum(net_revenue_eur) as revenue
    from {{ ref('fct_orders') }}
    group by sales_channel

),

daily as (

    select sales_channel, sum(net_revenue_eur) as revenue
    from {{ ref('channel_revenue_daily') }}
    group by sales_channel

),

timeline as (

    select channel as sales_channel, sum(revenue_eur) as revenue
    from {{ ref('fct_interactions') }}
    where source in ('ecommerce', 'pos')
    group by channel

),

attributed as (

    select sales_channel, attribution_model, sum(attributed_revenue_eur) as revenue
    from {{ ref('channel_attribution') }}
    group by sales_channel, attribution_model

),

compared as (

    select 'channel_revenue_daily' as mart, orders.sales_channel, orders.revenue, daily.revenue as mart_revenue
    from orders left join daily using (sales_channel)
    union all
    select 'fct_interactions', orders.sales_channel, orders.revenue, timeline.revenue
    from orders left join timeline using (sales_channel)
    union all
    select 'channel_attribution:' || attributed.attribution_model, orders.sales_channel, orders.revenue, attributed.revenue
    from orders left join attributed using (sales_channel)

)

select * from compared
where mart_revenue is null or abs(revenue - mart_revenue) >= 0.005
