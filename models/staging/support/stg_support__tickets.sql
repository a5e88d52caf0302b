with

source as (

    select * from {{ source('support', 'tickets') }}

),

renamed as (

    select
        -- ids
        cast(id as bigint) as ticket_id,
        {{ clean_reference('order_ref') }} as order_ref,

        -- ticket
        lower(trim(channel)) as ticket_channel,
        lower(trim(status)) as ticket_status,
        lower(trim(priority)) as ticket_priority,
        lower(trim(type)) as ticket_type,
        subject,
        lower(satisfaction ->> '$.score') as satisfaction_score,
        cast(tags as varchar[]) as tags,

        -- requester
        nullif(trim(requester ->> '$.name'), '') as requester_name,
        {{ email_columns("requester ->> '$.email'") }},
        {{ phone_columns("requester ->> '$.phone'") }},

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

    -- one line per version of a ticket: the latest updated_at wins
    select
        *,
        {{ first_delivery_order('ticket_id') }} as _first_delivery_order

    from renamed
    {{ deduplicate_latest('ticket_id', 'updated_at') }}

),

final as (

    select * from deduplicated

)

select * from final
