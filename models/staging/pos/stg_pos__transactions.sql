with

transactions as (

    select * from {{ ref('base_pos__transactions') }}

),

stores as (

    select * from {{ ref('stg_pos__stores') }}

),

localised as (

    -- the till writes the store's wall-clock time without offset: the store's IANA time
    -- zone says which (left join: a receipt of an unknown store keeps a null transacted_at)
    select
        transactions.*,
        stores.time_zone as store_time_zone,
        {{ convert_local_to_utc('transactions.transacted_local_at', 'stores.time_zone') }}
            as transacted_at

    from transactions
    left join stores
        on transactions.store_id = stores.store_id

),

final as (

    select
        -- ids
        receipt_id,
        store_id,
        register_id,
        original_receipt_id,

        -- customer identifiers
        card_number,
        is_staff_card,
        email,
        email_canonical,
        has_placeholder_email,
        phone,
        has_placeholder_phone,
        has_invalid_phone,

        -- transaction
        transaction_type,
        is_return,
        payment_method,
        promo_code,
        item_count,

        -- amounts
        currency,
        total_amount,

        -- timestamps
        transacted_at,
        transacted_local_at,
        store_time_zone,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _first_delivery_order,
        _loaded_at

    from localised

)

select * from final
