{{ config(materialized='incremental', unique_key='account_id') }}
{%- set raw_keys = {'account_id': "trim(account_id)"} %}

with

source as (

    select * from {{ source('ecommerce', 'accounts') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.account_id }} as account_id,

        -- contact
        {{ email_columns('email') }},
        {{ phone_columns('phone') }},

        -- name and address
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(address_line1), '') as address_line1,
        nullif(upper(trim(postcode)), '') as postcode,
        nullif(trim(city), '') as city,
        nullif(upper(trim(country)), '') as country_code,

        -- booleans
        cast(accepts_marketing as boolean) as is_marketing_opted_in,

        -- timestamps
        {{ to_utc_timestamp('created_at') }} as created_at,
        {{ to_utc_timestamp('updated_at') }} as updated_at,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    {{ deduplicate_incremental('renamed', 'account_id', 'updated_at') }}

),

final as (

    select * from deduplicated

)

select * from final
