with

source as (

    select * from {{ source('app', 'events') }}

),

renamed as (

    select
        -- ids
        trim(event_id) as event_id,
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

    select
        *,
        {{ first_delivery_order('event_id') }} as _first_delivery_order

    from renamed
    {{ deduplicate_latest('event_id') }}

),

final as (

    select * from deduplicated

)

select * from final
