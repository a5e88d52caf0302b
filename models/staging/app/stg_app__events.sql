{{ config(materialized='incremental', unique_key='event_id') }}
{%- set raw_keys = {'event_id': "trim(event_id)"} %}

with

source as (

    select * from {{ source('app', 'events') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.event_id }} as event_id,
        device_id,
        nullif(trim(user_id), '') as user_id,
        {{ clean_reference('order_id') }} as order_id,
        nullif(trim(campaign_id), '') as campaign_id,

        -- event
        lower(event_name) as event_name,
        make_timestamp(event_timestamp) as occurred_at,
        lower(platform) as platform,
        app_version,
        try_cast(params as json) as params,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    {{ deduplicate_incremental('renamed', 'event_id') }}

),

final as (

    select * from deduplicated

)

select * from final
