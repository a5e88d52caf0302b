with

source as (

    select * from {{ source('marketing', 'spend') }}

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key([
            'cast(spend_date as date)',
            'lower(trim(channel))',
            "nullif(trim(campaign_id), '')",
        ]) }} as spend_id,
        cast(spend_date as date) as spend_date,
        lower(trim(channel)) as channel,
        nullif(trim(campaign_id), '') as campaign_id,

        -- amounts
        upper(trim(currency)) as currency,
        cast(spend as decimal(18, 2)) as spend_amount,

        -- delivery
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    -- key (spend_date, channel, campaign_id); campaign_id is nullable (spend not tied to
    -- a campaign): window partitions group nulls together, so null is one key value
    select * from renamed
    {{ deduplicate_latest(['spend_date', 'channel', 'campaign_id']) }}

),

final as (

    select * from deduplicated

)

select * from final
