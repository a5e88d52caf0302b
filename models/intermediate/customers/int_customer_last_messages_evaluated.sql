{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The last marketing message each identified customer received and how they reacted within
    the attribution window (var attribution_window_days). A message received is an outbound
    interaction of a campaign that reached the customer: an email delivered, a push received,
    a direct-mail piece, an outbound telesales call that reached them (not an email merely
    sent or bounced, nor a call unanswered). Reactions: any inbound interaction of the same
    campaign (opened), a click, push open or campaign reaction (clicked: a marketing touch),
    a purchase of any channel (bought), a complaint of the same campaign (complained).
    Opening and clicking cannot be observed for a mail piece or a call: null there.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

interactions as (

    {{ changed_customer_timelines() }}

),

orders as (

    select * from {{ ref('fct_orders') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

messages as (

    select
        customer_id,
        interaction_id,
        campaign_id,
        channel,
        interaction_type,
        occurred_at,

    from interactions
    where customer_id is not null
        and direction = 'outbound'
        and campaign_id is not null
        and interaction_type not in ('email_sent', 'email_bounced')
        and (source <> 'call_center' or is_attribution_touch)

),

last_messages as (

    select
        *,
        occurred_at + interval ({{ var('attribution_window_days') }}) day as window_ends_at,

    from messages
    qualify row_number() over (
        partition by customer_id order by occurred_at desc, interaction_id desc
    ) = 1

),

campaign_reactions as (

    select
        last_messages.interaction_id,
        true as has_reacted,
        bool_or(interactions.is_attribution_touch) as has_clicked,
        bool_or(interactions.is_complaint) as has_complained,

    from last_messages
    inner join interactions
        on last_messages.customer_id = interactions.customer_id
        and last_messages.campaign_id = interactions.campaign_id
        and interactions.direction = 'inbound'
        and not interactions.is_bot
        and interactions.occurred_at >= last_messages.occurred_at
        and interactions.occurred_at < last_messages.window_ends_at
    group by last_messages.interaction_id

),

purchases as (

    select distinct
        last_messages.interaction_id,

    from last_messages
    inner join orders
        on last_messages.customer_id = orders.customer_id
        and orders.ordered_at >= last_messages.occurred_at
        and orders.ordered_at < last_messages.window_ends_at
    where {{ is_purchase('orders') }}

),

final as (

    select
        last_messages.customer_id,
        last_messages.interaction_id as message_interaction_id,
        last_messages.campaign_id,
        last_messages.channel,
        last_messages.interaction_type,
        last_messages.occurred_at,
        case
            when last_messages.channel not in ('direct_mail', 'phone')
                then coalesce(campaign_reactions.has_reacted, false)
        end as is_opened,
        case
            when last_messages.channel not in ('direct_mail', 'phone')
                then coalesce(campaign_reactions.has_clicked, false)
        end as is_clicked,
        purchases.interaction_id is not null as is_bought,
        coalesce(campaign_reactions.has_complained, false) as is_complained,

    from last_messages
    left join campaign_reactions
        on last_messages.interaction_id = campaign_reactions.interaction_id
    left join purchases
        on last_messages.interaction_id = purchases.interaction_id

)

select * from final
