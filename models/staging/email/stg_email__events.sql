{{ config(materialized='incremental', unique_key='event_id') }}
{%- set raw_keys = {'event_id': "trim(event_id)"} %}

with

source as (

    select * from {{ source('email', 'events') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.event_id }} as event_id,
        trim(campaign_id) as campaign_id,
        trim(subscriber_id) as subscriber_id,

        -- recipient
        {{ email_columns('email') }},

        -- event
        lower(trim(event_type)) as event_type,
        nullif(trim(url), '') as clicked_url,
        nullif(lower(trim(bounce_type)), '') as bounce_type,

        -- timestamps: seconds since the Unix epoch, UTC
        (to_timestamp(cast(occurred_at as bigint)) at time zone 'UTC') as occurred_at,

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
