{#-
    How customers move between channels before a purchase. For each purchase of an identified
    customer (fct_orders), the customer's inbound, non-bot interactions in the attribution
    window before it (var attribution_window_days) form a sequence of channels, consecutive
    repeats collapsed into one step; the purchase in its sales channel is the last step.
    Grain: one transition between two steps (from_channel -> to_channel), with whether its
    destination is the purchase and how that purchase was fulfilled. A purchase without any
    interaction before it in the window is one transition from `none`.
-#}
with

orders as (

    select * from {{ ref('fct_orders') }}

),

interactions as (

    select * from {{ ref('fct_interactions') }}

),

purchases as (

    select
        order_key,
        customer_id,
        sales_channel,
        coalesce(fulfilment_method, 'in_store') as fulfilment_method,
        ordered_at,

    from orders
    where customer_id is not null
        and {{ is_purchase() }}

),

journey_interactions as (

    select
        purchases.order_key,
        purchases.customer_id,
        interactions.interaction_id,
        interactions.channel,
        interactions.occurred_at,

    from purchases
    inner join interactions
        on purchases.customer_id = interactions.customer_id
        and interactions.occurred_at
            >= purchases.ordered_at - interval ({{ var('attribution_window_days') }}) day
        and interactions.occurred_at < purchases.ordered_at
    where interactions.direction = 'inbound'
        and not interactions.is_bot

),

step_starts as (

    select
        *,
        channel is distinct from lag(channel) over by_journey as is_step_start,

    from journey_interactions
    window by_journey as (partition by order_key order by occurred_at, interaction_id)

),

numbered as (

    select
        *,
        sum(cast(is_step_start as integer)) over (
            partition by order_key order by occurred_at, interaction_id
            rows between unbounded preceding and current row
        ) as step_number,

    from step_starts

),

interaction_steps as (

    select
        order_key,
        customer_id,
        step_number,
        any_value(channel) as channel,
        false as is_purchase_step,
        cast(null as varchar) as fulfilment_method,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,

    from numbered
    group by order_key, customer_id, step_number

),

purchase_steps as (

    select
        order_key,
        customer_id,
        cast(null as bigint) as step_number,
        sales_channel as channel,
        true as is_purchase_step,
        fulfilment_method,
        ordered_at as started_at,
        ordered_at as ended_at,

    from purchases

),

steps as (

    select * from interaction_steps
    union all
    select * from purchase_steps

),

transitions as (

    select
        order_key,
        customer_id,
        coalesce(lag(channel) over by_journey, 'none') as from_channel,
        channel as to_channel,
        is_purchase_step,
        fulfilment_method,
        (epoch(started_at) - epoch(lag(ended_at) over by_journey)) / 3600.0 as hours_between,
        lag(channel) over by_journey is not null or is_purchase_step as is_transition,

    from steps
    -- the purchase comes after every interaction step
    window by_journey as (partition by order_key order by is_purchase_step, step_number)

),

grouped as (

    select
        from_channel,
        to_channel,
        is_purchase_step,
        fulfilment_method,
        count(*) as transitions,
        count(distinct customer_id) as customers,
        count(distinct order_key) as purchases,
        median(hours_between) as median_hours_between,

    from transitions
    where is_transition
    group by from_channel, to_channel, is_purchase_step, fulfilment_method

),

final as (

    select
        cast(
            {{ generate_surrogate_key(
                ['from_channel', 'to_channel', 'is_purchase_step', 'fulfilment_method']
            ) }}
            as varchar
        ) as journey_transition_id,
        cast(from_channel as varchar) as from_channel,
        cast(to_channel as varchar) as to_channel,
        cast(is_purchase_step as boolean) as is_purchase_step,
        cast(fulfilment_method as varchar) as fulfilment_method,
        cast(transitions as bigint) as transitions,
        cast(customers as bigint) as customers,
        cast(purchases as bigint) as purchases,
        cast(round(median_hours_between, 2) as double) as median_hours_between,

    from grouped

)

select * from final
