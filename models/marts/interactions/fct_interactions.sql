{{
    config(
        materialized='incremental',
        unique_key='interaction_id',
        incremental_strategy='delete+insert',
        post_hook=[
            "{{ refresh_customer_ids('interaction_id', identified_only=true) }}",
            "{{ record_incremental_progress() }}",
        ],
    )
}}
{#-
    The unified timeline: one row per interaction of any channel, with its customer.
    Sales (orders, receipts) come from fct_orders, so revenue is computed once.

    Incremental on load time: a run adds the records loaded since the previous one; the web
    events that int_web_events_sessionized wrote since this model's last build (it writes
    every new event and every event whose session moved: a late event can move session
    boundaries); and the sales fct_orders wrote since (loaded after the timeline's latest
    sale, or converted again at a rate loaded since), also when fct_orders was built in a
    run without this model. Those selections read only the new rows of each table. The
    post-hook moves rows already built to their current customer.
-#}
{%- set since_last_run = "_loaded_at > (select max(_loaded_at) from " ~ this ~ ")" -%}
{%- set only_new -%}
    {%- if is_incremental() %}where {{ since_last_run }}{% endif -%}
{%- endset -%}
with

web_events as (

    select * from {{ ref('stg_web__events') }}

),

web_sessions as (

    select * from {{ ref('int_web_events_sessionized') }}

),

app_events as (

    select * from {{ ref('stg_app__events') }}

),

orders as (

    -- the sales fct_orders wrote since this model's last build, also when fct_orders was
    -- built without it: loaded after the timeline's latest sale, or dated on or after a
    -- rate loaded after the build of fct_orders that preceded this model's last one
    {{ sales_since_last_build(
        ref('fct_orders'),
        'fx_date',
        loaded_since="(select max(_loaded_at) from " ~ this ~ " where source in ('ecommerce', 'pos'))",
        rates_since=last_processed_at(ref('fct_orders'), until=last_processed_at())
    ) }}

),

stores as (

    select * from {{ ref('stg_pos__stores') }}

),

calls as (

    select * from {{ ref('stg_call_center__calls') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

email_events as (

    select * from {{ ref('stg_email__events') }}

),

social_interactions as (

    select * from {{ ref('stg_social__interactions') }}

),

mail_pieces as (

    select * from {{ ref('stg_direct_mail__sends') }}

),

customer_records as (

    select * from {{ ref('int_identity_records_clustered') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

web as (

    select
        {{ identity_record_key('web', 'events', 'web_events.event_id') }} as interaction_id,
        'web' as source,
        web_events.event_id as source_record_id,
        'web' as channel,
        coalesce(replace(lower(web_events.event_name), ' ', '_'), web_events.event_type)
            as interaction_type,
        'inbound' as direction,
        -- the collector's clock: the device clock can be days off
        web_events.received_at as occurred_at,
        cast(null as varchar) as campaign_id,
        web_events.utm_campaign,
        web_sessions.session_id,
        web_sessions.marketing_channel,
        web_sessions.is_session_start and web_sessions.marketing_channel <> 'direct'
            as is_attribution_touch,
        web_events.order_id as order_ref,
        cast(null as varchar) as promo_code,
        false as is_complaint,
        cast(null as boolean) as is_resolved,
        web_events.is_bot,
        coalesce(web_events.event_name || coalesce(': ' || web_events.form_topic, ''), web_events.page_title, web_events.event_type)
            as summary,
        cast(null as varchar) as outcome,
        cast(null as varchar) as satisfaction,
        cast(null as double) as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        web_events._loaded_at,

    from web_sessions
    inner join web_events
        on web_sessions.event_id = web_events.event_id
    {% if is_incremental() %}
    where web_sessions._sessionized_at > {{ last_processed_at() }}
    {% endif %}

),

app as (

    select
        {{ identity_record_key('app', 'events', 'event_id') }} as interaction_id,
        'app' as source,
        event_id as source_record_id,
        'app' as channel,
        event_name as interaction_type,
        case when event_name = 'push_received' then 'outbound' else 'inbound' end as direction,
        occurred_at,
        campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        case when event_name in ('push_received', 'push_opened') then 'push' end
            as marketing_channel,
        event_name = 'push_opened' as is_attribution_touch,
        order_id as order_ref,
        cast(null as varchar) as promo_code,
        false as is_complaint,
        cast(null as boolean) as is_resolved,
        false as is_bot,
        replace(event_name, '_', ' ') || ' (' || platform || ')' as summary,
        cast(null as varchar) as outcome,
        cast(null as varchar) as satisfaction,
        cast(null as double) as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        _loaded_at,

    from app_events
    {{ only_new }}

),

sales as (

    select
        orders.order_key as interaction_id,
        orders.source,
        orders.source_record_id,
        orders.sales_channel as channel,
        case
            when orders.source = 'ecommerce' then 'order'
            else 'store_' || orders.transaction_type
        end as interaction_type,
        'inbound' as direction,
        orders.ordered_at as occurred_at,
        cast(null as varchar) as campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        cast(null as varchar) as marketing_channel,
        false as is_attribution_touch,
        case when orders.source = 'ecommerce' then orders.source_record_id end as order_ref,
        orders.promo_code,
        false as is_complaint,
        cast(null as boolean) as is_resolved,
        false as is_bot,
        case
            when orders.source = 'ecommerce'
                then orders.sales_channel || ' order, ' || orders.fulfilment_method
                    || ', ' || orders.total_amount || ' ' || orders.currency
            else 'store ' || orders.transaction_type || ' at ' || coalesce(stores.store_name, orders.store_id)
                || ', ' || orders.total_amount || ' ' || orders.currency
        end as summary,
        coalesce(orders.order_status, orders.transaction_type) as outcome,
        cast(null as varchar) as satisfaction,
        cast(null as double) as satisfaction_score,
        orders.net_revenue_eur as revenue_eur,
        orders._loaded_at,

    from orders
    left join stores
        on orders.store_id = stores.store_id

),

call_center as (

    select
        {{ identity_record_key('call_center', 'calls', 'call_id') }} as interaction_id,
        'call_center' as source,
        call_id as source_record_id,
        'phone' as channel,
        'call' as interaction_type,
        call_direction as direction,
        started_at as occurred_at,
        campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        case when queue = 'telesales' then 'telesales' end as marketing_channel,
        -- an outbound telesales call that reached the customer
        queue = 'telesales' and call_direction = 'outbound'
            and disposition in ('resolved', 'sale', 'callback') as is_attribution_touch,
        order_ref,
        cast(null as varchar) as promo_code,
        queue = 'complaints' as is_complaint,
        disposition in ('resolved', 'sale') as is_resolved,
        false as is_bot,
        replace(queue, '_', ' ') || ' call, ' || (duration_seconds // 60) || ' min'
            || coalesce(': ' || notes, '') as summary,
        disposition as outcome,
        cast(csat_score as varchar) as satisfaction,
        (csat_score - 1) / 4.0 as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        _loaded_at,

    from calls
    {{ only_new }}

),

support as (

    select
        {{ identity_record_key('support', 'tickets', 'ticket_id') }} as interaction_id,
        'support' as source,
        cast(ticket_id as varchar) as source_record_id,
        case ticket_channel when 'web_form' then 'web' else ticket_channel end as channel,
        'ticket' as interaction_type,
        'inbound' as direction,
        created_at as occurred_at,
        cast(null as varchar) as campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        cast(null as varchar) as marketing_channel,
        false as is_attribution_touch,
        order_ref,
        cast(null as varchar) as promo_code,
        ticket_type = 'complaint' as is_complaint,
        ticket_status in ('solved', 'closed') as is_resolved,
        false as is_bot,
        ticket_type || ' (' || ticket_priority || '): ' || subject as summary,
        ticket_status as outcome,
        case when satisfaction_score in ('good', 'bad') then satisfaction_score end as satisfaction,
        case satisfaction_score when 'good' then 1.0 when 'bad' then 0.0 end as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        _loaded_at,

    from tickets
    {{ only_new }}

),

email as (

    select
        {{ identity_record_key('email', 'events', 'event_id') }} as interaction_id,
        'email' as source,
        event_id as source_record_id,
        'email' as channel,
        'email_' || event_type as interaction_type,
        case
            when event_type in ('sent', 'delivered', 'bounced') then 'outbound' else 'inbound'
        end as direction,
        occurred_at,
        campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        'email' as marketing_channel,
        event_type = 'clicked' as is_attribution_touch,
        cast(null as varchar) as order_ref,
        cast(null as varchar) as promo_code,
        event_type = 'complained' as is_complaint,
        cast(null as boolean) as is_resolved,
        false as is_bot,
        'email ' || event_type || coalesce(': ' || clicked_url, '') as summary,
        bounce_type as outcome,
        cast(null as varchar) as satisfaction,
        cast(null as double) as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        _loaded_at,

    from email_events
    {{ only_new }}

),

social as (

    select
        {{ identity_record_key('social', 'interactions', 'interaction_id') }} as interaction_id,
        'social' as source,
        interaction_id as source_record_id,
        'social' as channel,
        'social_' || interaction_type as interaction_type,
        'inbound' as direction,
        created_at as occurred_at,
        campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        case when campaign_id is not null then 'paid_social' end as marketing_channel,
        -- a reaction to a campaign post
        campaign_id is not null as is_attribution_touch,
        order_ref,
        cast(null as varchar) as promo_code,
        -- a message about an order, or a review of 1 or 2 stars
        (interaction_type = 'direct_message' and order_ref is not null)
            or (interaction_type = 'review' and rating <= 2) as is_complaint,
        cast(null as boolean) as is_resolved,
        false as is_bot,
        platform || ' ' || replace(interaction_type, '_', ' ') || ': ' || message_text as summary,
        cast(null as varchar) as outcome,
        cast(rating as varchar) as satisfaction,
        (rating - 1) / 4.0 as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        _loaded_at,

    from social_interactions
    {{ only_new }}

),

direct_mail as (

    select
        {{ identity_record_key('direct_mail', 'sends', 'mailing_id') }} as interaction_id,
        'direct_mail' as source,
        mailing_id as source_record_id,
        'direct_mail' as channel,
        'mail_' || piece_type as interaction_type,
        'outbound' as direction,
        cast(sent_date as timestamp) as occurred_at,
        campaign_id,
        cast(null as varchar) as utm_campaign,
        cast(null as varchar) as session_id,
        'direct_mail' as marketing_channel,
        -- a piece is a touch of the sale that redeems its promo code (channel_attribution)
        false as is_attribution_touch,
        cast(null as varchar) as order_ref,
        promo_code,
        false as is_complaint,
        cast(null as boolean) as is_resolved,
        false as is_bot,
        piece_type || ' sent, promo code ' || promo_code as summary,
        cast(null as varchar) as outcome,
        cast(null as varchar) as satisfaction,
        cast(null as double) as satisfaction_score,
        cast(null as decimal(18, 2)) as revenue_eur,
        _loaded_at,

    from mail_pieces
    {{ only_new }}

),

unioned as (

    select * from web
    union all
    select * from app
    union all
    select * from sales
    union all
    select * from call_center
    union all
    select * from support
    union all
    select * from email
    union all
    select * from social
    union all
    select * from direct_mail

),

interaction_records as (

    -- an incremental run looks up the identity records of its rows only: joined whole, the
    -- records of every source would be the join's build side
    select * from customer_records
    {% if is_incremental() -%}
    where record_key in (select interaction_id from unioned)
    {%- endif %}

),

final as (

    select
        unioned.interaction_id,
        -- a visitor known only by cookies or devices was never identified: no customer
        case when not customers.is_anonymous then interaction_records.customer_id end as customer_id,
        unioned.source,
        unioned.source_record_id,
        unioned.channel,
        unioned.interaction_type,
        unioned.direction,
        unioned.occurred_at,
        cast(unioned.occurred_at as date) as occurred_date,
        unioned.campaign_id,
        unioned.utm_campaign,
        unioned.session_id,
        unioned.marketing_channel,
        unioned.is_attribution_touch,
        unioned.order_ref,
        unioned.promo_code,
        unioned.is_complaint,
        unioned.is_resolved,
        unioned.is_bot,
        unioned.summary,
        unioned.outcome,
        unioned.satisfaction,
        unioned.satisfaction_score,
        unioned.revenue_eur,
        unioned._loaded_at,

    from unioned
    left join interaction_records
        on unioned.interaction_id = interaction_records.record_key
    left join customers
        on interaction_records.customer_id = customers.customer_id

)

select * from final
