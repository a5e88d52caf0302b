{{ config(materialized='incremental', unique_key='interaction_id') }}
{%- set raw_keys = {'interaction_id': "trim(id)"} %}

with

source as (

    select * from {{ source('social', 'interactions') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.interaction_id }} as interaction_id,
        nullif(trim(campaign_id), '') as campaign_id,
        {{ clean_reference('linked_order_ref') }} as order_ref,

        -- interaction
        lower(trim(platform)) as platform,
        trim(handle) as handle,
        lower(trim(interaction_type)) as interaction_type,
        text as message_text,
        cast(rating as integer) as rating,

        -- customer linked by an agent
        {{ email_columns('linked_email') }},

        -- timestamps
        {{ to_utc_timestamp('created_at') }} as created_at,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

deduplicated as (

    {{ deduplicate_incremental('renamed', 'interaction_id') }}

),

final as (

    select * from deduplicated

)

select * from final
