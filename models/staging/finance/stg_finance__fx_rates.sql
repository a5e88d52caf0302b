with

source as (

    select * from {{ source('finance', 'fx_rates') }}

),

renamed as (

    select
        -- ids
        {{ generate_surrogate_key(['cast(rate_date as date)', 'upper(trim(currency))']) }}
            as fx_rate_id,
        cast(rate_date as date) as rate_date,
        upper(trim(currency)) as currency,

        -- rate: one unit of currency is this many EUR
        cast(rate_to_eur as decimal(18, 8)) as rate_to_eur,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    select * from renamed
    {{ deduplicate_latest(['rate_date', 'currency']) }}

),

final as (

    select * from deduplicated

)

select * from final
