{{ config(meta={'dagster': {'ref': {'name': 'channel_attribution'}}}) }}
-- Every sale of fct_orders is attributed once per model, and its credits sum to 1.
with

orders as (

    select order_key from {{ ref('fct_orders') }}

),

attribution as (

    select * from {{ ref('channel_attribution') }}

),

credit_sums as (

    select
        orders.order_key,
        models.attribution_model,
        coalesce(sum(attribution.credit), 0) as credit,

    from orders
    cross join (
        values ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')
    ) as models (attribution_model)
    left join attribution
        on orders.order_key = attribution.order_key
        and models.attribution_model = attribution.attribution_model
    group by all

)

select * from credit_sums
where abs(credit - 1) > 1e-9
