{{ config(materialized='incremental', unique_key='ticket_id') }}
{%- set raw_keys = {'ticket_id': "cast(id as bigint)"} %}

with

source as (

    select * from {{ source('support', 'tickets') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.ticket_id }} as ticket_id,
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
    {{ deduplicate_incremental('renamed', 'ticket_id', 'updated_at') }}

),

final as (

    select * from deduplicated

)

select * from final
