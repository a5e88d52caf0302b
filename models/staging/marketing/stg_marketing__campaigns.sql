with

source as (

    select * from {{ source('marketing', 'campaigns') }}

),

renamed as (

    select
        -- ids
        trim(campaign_id) as campaign_id,

        -- what, who, where
        trim(name) as campaign_name,
        what_message as campaign_message,
        who_segment as target_segment,
        list_filter(
            list_transform(string_split(lower(where_channels), '|'), channel -> trim(channel)),
            channel -> channel <> ''
        ) as channels,

        -- when
        cast(when_start as date) as start_date,
        cast(when_end as date) as end_date,
        lower(trim(when_time_of_day)) as time_of_day,

        -- how, why
        lower(trim(how_format)) as campaign_format,
        lower(trim(why_objective)) as objective,
        lower(trim(why_kpi)) as kpi,
        cast(target_value as decimal(18, 4)) as target_value,

        -- amounts
        upper(trim(currency)) as currency,
        cast(budget as decimal(18, 2)) as budget_amount,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    -- the plan has no updated_at: the latest delivery of a campaign wins
    select * from renamed
    {{ deduplicate_latest('campaign_id') }}

),

final as (

    select * from deduplicated

)

select * from final
