with

source as (

    select * from {{ source('pos', 'stores') }}

),

renamed as (

    select
        -- ids
        trim(store_id) as store_id,

        -- store
        trim(store_name) as store_name,
        trim(city) as city,
        upper(trim(country)) as country_code,
        trim(timezone) as time_zone,
        upper(trim(currency)) as currency,

        -- dates
        cast(opened_on as date) as opened_date,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    -- reference list without updated_at: the latest delivery wins
    select * from renamed
    {{ deduplicate_latest('store_id') }}

),

final as (

    select * from deduplicated

)

select * from final
