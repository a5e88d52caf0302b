{{ config(materialized='incremental', unique_key='receipt_id') }}
{%- set raw_keys = {'receipt_id': "trim(receipt_id)"} %}

with

source as (

    select * from {{ source('pos', 'transactions') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.receipt_id }} as receipt_id,
        trim(store_id) as store_id,
        trim(register_id) as register_id,
        nullif(trim(original_receipt_id), '') as original_receipt_id,

        -- customer identifiers
        {{ clean_card_number('loyalty_card') }} as card_number,
        coalesce({{ is_staff_card('loyalty_card') }}, false) as is_staff_card,
        {{ email_columns('receipt_email') }},
        {{ phone_columns('phone') }},

        -- transaction
        lower(trim(transaction_type)) as transaction_type,
        lower(trim(transaction_type)) = 'return' as is_return,
        lower(trim(payment_method)) as payment_method,
        nullif(upper(trim(promo_code)), '') as promo_code,
        cast(item_count as integer) as item_count,

        -- amounts
        upper(trim(currency)) as currency,
        cast(total_amount as decimal(18, 2)) as total_amount,

        -- timestamps: the store's wall-clock time, converted to UTC in stg_pos__transactions
        cast(transaction_local_time as timestamp) as transacted_local_at,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    {{ deduplicate_incremental('renamed', 'receipt_id') }}

),

final as (

    select * from deduplicated

)

select * from final
