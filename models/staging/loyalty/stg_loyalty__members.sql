{{ config(materialized='incremental', unique_key='member_id') }}
{%- set raw_keys = {'member_id': clean_member_id('member_id')} %}

with

source as (

    select * from {{ source('loyalty', 'members') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.member_id }} as member_id,
        {{ clean_card_number('card_number') }} as card_number,
        coalesce({{ is_staff_card('card_number') }}, false) as is_staff_card,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(enrolled_store_id), '') as enrolled_store_id,

        -- contact
        {{ email_columns('email') }},
        {{ phone_columns('phone') }},

        -- person and address
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        cast(birth_date as date) as birth_date,
        nullif(trim(address_line1), '') as address_line1,
        nullif(upper(trim(postcode)), '') as postcode,
        nullif(trim(city), '') as city,
        nullif(upper(trim(country)), '') as country_code,
        lower(trim(preferred_language)) as preferred_language,

        -- programme
        lower(trim(enrolled_channel)) as enrolled_channel,
        lower(trim(tier)) as tier,
        lower(trim(status)) as member_status,

        -- booleans
        cast(email_opt_in as boolean) as is_email_opted_in,
        cast(sms_opt_in as boolean) as is_sms_opted_in,
        cast(mail_opt_in as boolean) as is_mail_opted_in,
        lower(trim(status)) = 'active' as is_active,

        -- timestamps
        {{ to_utc_timestamp('enrolled_at') }} as enrolled_at,
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

    {{ deduplicate_incremental('renamed', 'member_id', 'updated_at') }}

),

final as (

    select * from deduplicated

)

select * from final
