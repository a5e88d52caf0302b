{{ config(materialized='incremental', unique_key='event_id') }}
{%- set raw_keys = {'event_id': "trim(message_id)"} %}

with

source as (

    select * from {{ source('web', 'events') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.event_id }} as event_id,
        anonymous_id,
        nullif(trim(user_id), '') as user_id,

        -- event
        lower(type) as event_type,
        event as event_name,

        -- timestamps
        {{ to_utc_timestamp('timestamp') }} as sent_at,
        {{ to_utc_timestamp('received_at') }} as received_at,

        -- context: page
        context ->> '$.page.url' as page_url,
        context ->> '$.page.path' as page_path,
        nullif(context ->> '$.page.referrer', '') as page_referrer,
        context ->> '$.page.title' as page_title,

        -- context: campaign (UTM parameters)
        context ->> '$.campaign.source' as utm_source,
        context ->> '$.campaign.medium' as utm_medium,
        context ->> '$.campaign.name' as utm_campaign,
        context ->> '$.campaign.term' as utm_term,
        context ->> '$.campaign.content' as utm_content,

        -- context: device
        context ->> '$.user_agent' as user_agent,
        {{ is_bot_user_agent("context ->> '$.user_agent'") }} as is_bot,
        context ->> '$.ip' as ip_address,
        context ->> '$.locale' as locale,

        -- traits (identify, Signed Up)
        {{ email_columns("traits ->> '$.email'") }},
        {{ phone_columns("traits ->> '$.phone'") }},
        nullif(trim(traits ->> '$.first_name'), '') as first_name,
        nullif(trim(traits ->> '$.last_name'), '') as last_name,

        -- properties (event-specific; nested values are not validated at load: try_cast)
        properties ->> '$.product_id' as product_id,
        properties ->> '$.sku' as sku,
        try_cast(properties ->> '$.price' as decimal(18, 2)) as price,
        {{ clean_reference("properties ->> '$.order_id'") }} as order_id,
        try_cast(properties ->> '$.revenue' as decimal(18, 2)) as revenue,
        upper(trim(properties ->> '$.currency')) as currency,
        properties ->> '$.form_topic' as form_topic,
        properties,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    -- the collector retries: the same message_id can be delivered more than once
    {{ deduplicate_incremental('renamed', 'event_id') }}

),

final as (

    select * from deduplicated

)

select * from final
