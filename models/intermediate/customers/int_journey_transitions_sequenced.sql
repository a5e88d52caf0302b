{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The journey of every purchase of an identified customer (fct_orders), step by step: the
    customer's inbound, non-bot interactions in the attribution window before it (var
    attribution_window_days) form a sequence of channels, consecutive repeats collapsed into
    one step; the purchase in its sales channel is the last step. Rows: one transition
    between two steps of a purchase's journey. A purchase without any interaction before it
    in the window is one transition from `none`.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

orders as (

    select * from {{ ref('fct_orders') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

interactions as (

    {{ changed_customer_timelines() }}

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
        step_number,
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

final as (

    select
        {{ generate_surrogate_key(['order_key', 'step_number']) }} as journey_transition_id,
        order_key,
        customer_id,
        from_channel,
        to_channel,
        is_purchase_step,
        fulfilment_method,
        hours_between,

    from transitions
    where is_transition

)

select * from final
