{{ config(materialized='incremental', unique_key='call_id') }}
{%- set raw_keys = {'call_id': "trim(call_id)"} %}
{%- set customer_number = "case when upper(trim(direction)) = 'OUT' then called_number else caller_number end" -%}

with

source as (

    select * from {{ source('call_center', 'calls') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.call_id }} as call_id,
        trim(agent_id) as agent_id,
        {{ clean_member_id('member_id') }} as member_id,
        {{ clean_reference('order_ref') }} as order_ref,
        nullif(trim(campaign_id), '') as campaign_id,

        -- call
        case upper(trim(direction))
            when 'IN' then 'inbound'
            when 'OUT' then 'outbound'
        end as call_direction,
        lower(trim(queue)) as queue,
        lower(trim(disposition)) as disposition,
        cast(duration_sec as integer) as duration_seconds,
        cast(csat as integer) as csat_score,
        nullif(trim(notes), '') as notes,

        -- phone numbers: as presented (inbound) or dialled (outbound)
        {{ clean_phone('caller_number') }} as caller_phone,
        {{ clean_phone('called_number') }} as called_phone,
        -- the customer's side of the call, whatever its direction
        {{ phone_columns(customer_number) }},

        -- timestamps: the centre's wall-clock time (America/Toronto), to UTC
        {{ convert_local_to_utc(
            "strptime(started_at, '%d/%m/%Y %H:%M:%S')", "'America/Toronto'"
        ) }} as started_at,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    {{ deduplicate_incremental('renamed', 'call_id') }}

),

final as (

    select * from deduplicated

)

select * from final
