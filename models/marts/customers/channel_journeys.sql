{#-
    How customers move between channels before a purchase (int_journey_transitions_sequenced:
    the journey of every purchase of an identified customer, step by step). Grain: one
    transition between two steps (from_channel -> to_channel), with whether its destination
    is the purchase and how that purchase was fulfilled. A purchase without any interaction
    before it in the window is one transition from `none`.
-#}
with

journey_transitions as (

    select * from {{ ref('int_journey_transitions_sequenced') }}

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

    from journey_transitions
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
