{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The per-customer figures of customer_360, joined once and stored: what the customer
    bought, the channels they use, the last interaction, the last message and their
    reaction, complaints and satisfaction, acquisition. One row per customer found in any of
    those intermediates (each holds only customers with some activity).

    Incremental on load time, like the intermediates it joins: a run recomputes the
    customers int_customer_changes_detected flagged (the pre-hook deletes their rows first).
    What moves with the warehouse's present is not here (int_customer_standings_evaluated),
    nor who the customer is and how to reach them (dim_customers, read by customer_360).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

purchases as (

    select * from {{ ref('int_customer_purchases_aggregated') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

channels as (

    select * from {{ ref('int_customer_channels_ranked') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

summaries as (

    select * from {{ ref('int_customer_interactions_summarized') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

last_messages as (

    select * from {{ ref('int_customer_last_messages_evaluated') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

acquisitions as (

    select * from {{ ref('int_customer_acquisitions_identified') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

customer_ids as (

    select customer_id from purchases
    union
    select customer_id from channels
    union
    select customer_id from summaries
    union
    select customer_id from last_messages
    union
    select customer_id from acquisitions

),

final as (

    select
        customer_ids.customer_id,
        purchases.* exclude (customer_id),
        channels.* exclude (customer_id),
        summaries.last_interaction,
        summaries.last_complaint_at,
        summaries.average_satisfaction_score,
        summaries.satisfaction_ratings,
        last_messages.campaign_id as last_message_campaign_id,
        last_messages.channel as last_message_channel,
        last_messages.interaction_type as last_message_type,
        last_messages.occurred_at as last_message_at,
        last_messages.is_opened as is_last_message_opened,
        last_messages.is_clicked as is_last_message_clicked,
        last_messages.is_bought as is_last_message_bought,
        last_messages.is_complained as is_last_message_complained,
        acquisitions.acquisition_channel,
        acquisitions.acquisition_basis,
        acquisitions.acquired_at,
        acquisitions.first_interaction_at,
        acquisitions.cohort_month,

    from customer_ids
    left join purchases
        on customer_ids.customer_id = purchases.customer_id
    left join channels
        on customer_ids.customer_id = channels.customer_id
    left join summaries
        on customer_ids.customer_id = summaries.customer_id
    left join last_messages
        on customer_ids.customer_id = last_messages.customer_id
    left join acquisitions
        on customer_ids.customer_id = acquisitions.customer_id

)

select * from final
