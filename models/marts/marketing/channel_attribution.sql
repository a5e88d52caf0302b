{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_sale_changes_detected', 'order_key') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    Multi-touch attribution: for every sale and each model, the credit of each marketing
    channel that touched it. Credits of a sale sum to 1 per model; a sale without any touch
    goes to `direct`.

    Incremental on load time: a run recomputes the sales int_sale_changes_detected flagged
    (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_sale_changes_detected') }}
with

orders as (

    select * from {{ ref('fct_orders') }}
    {{ where_changed('int_sale_changes_detected', 'order_key') }}

),

touch_credits as (

    select * from {{ ref('int_sale_touches_credited') }}
    {% if is_incremental() %}
    where order_key in (select order_key from orders)
    {% endif %}

),

attribution_models as (

    select *
    from (
        values ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')
    ) as models (attribution_model)

),

touched_credits as (

    select
        order_key,
        attribution_model,
        marketing_channel,
        sum(credit) as credit,
        count(*) filter (where credit > 0) as touches,

    from touch_credits
    group by order_key, attribution_model, marketing_channel
    having sum(credit) > 0

),

untouched_credits as (

    select
        orders.order_key,
        attribution_models.attribution_model,
        'direct' as marketing_channel,
        1.0 as credit,
        0 as touches,

    from orders
    cross join attribution_models
    anti join touch_credits
        on orders.order_key = touch_credits.order_key

),

credits as (

    select * from touched_credits
    union all
    select * from untouched_credits

),

final as (

    select
        {{ generate_surrogate_key(['credits.order_key', 'credits.attribution_model', 'credits.marketing_channel']) }}
            as attribution_id,
        credits.order_key,
        orders.customer_id,
        orders.sales_channel,
        orders.ordered_at,
        orders.ordered_date,
        credits.attribution_model,
        credits.marketing_channel,
        cast(credits.touches as integer) as touches,
        cast(credits.credit as double) as credit,
        cast(orders.net_revenue_eur * credits.credit as double) as attributed_revenue_eur,

    from credits
    inner join orders
        on credits.order_key = orders.order_key

)

select * from final
