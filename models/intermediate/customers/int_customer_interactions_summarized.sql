{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    What the timeline says of each identified customer (bots left out), for customer_360:
    the last conversation (an inbound interaction, or a call of either direction; not a
    marketing send), the last complaint, satisfaction, and the complaints not resolved
    (int_customer_standings_evaluated counts those still open at the warehouse's present).

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

interactions as (

    {{ changed_customer_timelines() }}

),

classified as (

    select
        customer_id,
        interaction_id,
        occurred_at,
        channel,
        interaction_type,
        summary,
        is_complaint,
        satisfaction_score,
        direction = 'inbound' or source = 'call_center' as is_conversation,
        is_complaint and is_resolved is not true as is_unresolved_complaint,

    from interactions
    where customer_id is not null
        and not is_bot

),

final as (

    select
        customer_id,
        arg_max(
            struct_pack(occurred_at, channel, interaction_type, summary),
            (occurred_at, interaction_id)
        ) filter (where is_conversation) as last_interaction,
        list(
            struct_pack(occurred_at, channel)
            order by occurred_at, channel, interaction_id
        ) filter (where is_unresolved_complaint) as unresolved_complaints,
        max(occurred_at) filter (where is_complaint) as last_complaint_at,
        avg(satisfaction_score) as average_satisfaction_score,
        count(satisfaction_score) as satisfaction_ratings,

    from classified
    group by customer_id

)

select * from final
