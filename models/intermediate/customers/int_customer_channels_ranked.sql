{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The channels each identified customer uses and prefers, and the part of the day they
    prefer, from their own contacts (int_customer_contacts_localized), for customer_360.
    The preferred channel has the most contact days, then the most interactions, then the
    latest contact; the preferred part of the day has the most contact days, then the most
    interactions.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first), so that a run does not aggregate every
    contact of every customer again; int_customer_figures_joined stores its rows for
    customer_360.
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

contacts as (

    select * from {{ ref('int_customer_contacts_localized') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

channel_usage as (

    select
        customer_id,
        channel,
        count(distinct contact_local_date) as active_days,
        sum(interactions) as interactions,
        max(last_occurred_at) as last_occurred_at,

    from contacts
    group by customer_id, channel

),

channels as (

    select
        customer_id,
        count(*) as channels_used,
        string_agg(channel, ', ' order by channel) as channel_list,
        arg_max(channel, (active_days, interactions, last_occurred_at, channel)) as preferred_channel,

    from channel_usage
    group by customer_id

),

parts_of_day as (

    select
        customer_id,
        part_of_day,
        any_value(time_zone) as time_zone,
        count(distinct contact_local_date) as active_days,
        sum(interactions) as interactions,

    from contacts
    group by customer_id, part_of_day

),

preferred_parts_of_day as (

    select
        customer_id,
        arg_max(part_of_day, (active_days, interactions, part_of_day)) as preferred_part_of_day,
        any_value(time_zone) as time_zone,

    from parts_of_day
    group by customer_id

),

final as (

    select
        channels.customer_id,
        channels.channels_used,
        channels.channel_list,
        channels.preferred_channel,
        preferred_parts_of_day.preferred_part_of_day,
        preferred_parts_of_day.time_zone as part_of_day_time_zone,

    from channels
    inner join preferred_parts_of_day
        on channels.customer_id = preferred_parts_of_day.customer_id

)

select * from final
