{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    Who each campaign reached, on which of its planned channels, and whether they engaged:
    one row per campaign and identified customer, from the interactions of the timeline
    that carry the campaign, for campaign_performance. One row per customer, not per
    channel, so that campaign_performance counts customers reached, on several channels or
    engaged, without a distinct count or a regrouping of every row.

    The planned channel is the campaign plan's name of the channel that carried it (`push`
    for the app, `call_center` for the phone). Engagement: an email opened or clicked, a
    push opened, any social interaction, a call that ended resolved, in a sale or with a
    callback.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first), so that campaign_performance, rebuilt
    on every run, does not read every interaction of the timeline again.
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

interactions as (

    {{ changed_customer_timelines() }}

),

campaign_interactions as (

    select
        campaign_id,
        customer_id,
        case channel when 'app' then 'push' when 'phone' then 'call_center' else channel end
            as planned_channel,
        interaction_type in (
            'email_opened', 'email_clicked', 'push_opened'
        ) or source = 'social'
        or (source = 'call_center' and outcome in ('resolved', 'sale', 'callback')) as is_engagement,

    from interactions
    where campaign_id is not null
        and customer_id is not null

),

final as (

    select
        {{ generate_surrogate_key(['campaign_id', 'customer_id']) }} as campaign_reach_id,
        campaign_id,
        customer_id,
        list_sort(list(distinct planned_channel)) as planned_channels,
        count(*) as interactions,
        bool_or(is_engagement) as is_engaged,

    from campaign_interactions
    group by campaign_id, customer_id

)

select * from final
