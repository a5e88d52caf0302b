{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    How and when each identified customer was acquired, from the timeline (bots left out).
    The first known touch is the customer's earliest inbound interaction or marketing touch
    (an outbound telesales call that reached them is a touch); its marketing channel (a web
    visit's session channel, email, push, paid_social...) is the acquisition channel, or,
    without one, its channel (store, phone, app...). A customer only ever reached by outbound
    messages takes the channel of their first interaction. The cohort is the month of the
    first known interaction of any direction.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

interactions as (

    {{ changed_customer_timelines() }}

),

firsts as (

    select
        customer_id,
        min(occurred_at) as first_interaction_at,
        arg_min(channel, (occurred_at, interaction_id)) as first_interaction_channel,
        arg_min(
            struct_pack(interaction_id, occurred_at, channel, marketing_channel),
            (occurred_at, interaction_id)
        ) filter (where direction = 'inbound' or is_attribution_touch) as first_touch,

    from interactions
    where customer_id is not null
        and not is_bot
    group by customer_id

),

final as (

    select
        customer_id,
        first_interaction_at,
        cast(date_trunc('month', first_interaction_at) as date) as cohort_month,
        first_touch.interaction_id as acquisition_interaction_id,
        first_touch.occurred_at as acquired_at,
        coalesce(first_touch.marketing_channel, first_touch.channel, first_interaction_channel)
            as acquisition_channel,
        case
            when first_touch.marketing_channel is not null then 'marketing_channel'
            when first_touch.channel is not null then 'touch_channel'
            else 'first_interaction_channel'
        end as acquisition_basis,

    from firsts

)

select * from final
