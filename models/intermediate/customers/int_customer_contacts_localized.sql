{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    Customers' own contacts in their local time: the inbound, non-bot interactions of each
    identified customer grouped per channel, local day and part of the day. Local time is the
    time zone of the customer's country (seed country_time_zones), UTC when it is unknown.
    A visit of twenty page views is one contact, like one store receipt.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

interactions as (

    {{ changed_customer_timelines() }}

),

customers as (

    select * from {{ ref('dim_customers') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

time_zones as (

    select * from {{ ref('country_time_zones') }}

),

customer_time_zones as (

    select
        customers.customer_id,
        coalesce(time_zones.time_zone, 'UTC') as time_zone,

    from customers
    left join time_zones
        on customers.country_code = time_zones.country_code
    where not customers.is_anonymous

),

localized as (

    select
        interactions.customer_id,
        interactions.channel,
        interactions.occurred_at,
        customer_time_zones.time_zone,
        (interactions.occurred_at at time zone 'UTC') at time zone customer_time_zones.time_zone
            as occurred_local_at,

    from interactions
    inner join customer_time_zones
        on interactions.customer_id = customer_time_zones.customer_id
    where interactions.direction = 'inbound'
        and not interactions.is_bot

),

parted as (

    select
        *,
        cast(occurred_local_at as date) as contact_local_date,
        case
            when hour(occurred_local_at) < 6 then 'night'
            when hour(occurred_local_at) < 12 then 'morning'
            when hour(occurred_local_at) < 18 then 'afternoon'
            else 'evening'
        end as part_of_day,

    from localized

),

final as (

    select
        {{ generate_surrogate_key(['customer_id', 'channel', 'contact_local_date', 'part_of_day']) }}
            as contact_id,
        customer_id,
        channel,
        contact_local_date,
        part_of_day,
        time_zone,
        count(*) as interactions,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at,

    from parted
    group by customer_id, channel, contact_local_date, part_of_day, time_zone

)

select * from final
