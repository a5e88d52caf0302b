{{ config(materialized='incremental', unique_key='mailing_id') }}
{%- set raw_keys = {'mailing_id': "trim(mailing_id)"} %}

{#- the title that opens recipient_name: French (Mme, Mlle, M., Me, Dr, Pr) or English -#}
{%- set title_pattern = "^(mme|mlle|m|mr|mrs|ms|miss|dr|me|pr)\\.?\\s+" -%}
{%- set recipient_name = "regexp_replace(trim(recipient_name), '\\s+', ' ', 'g')" -%}

with

source as (

    select * from {{ source('direct_mail', 'sends') }}
    {{ where_loaded_since_last_run(raw_keys) }}

),

renamed as (

    select
        -- ids
        {{ raw_keys.mailing_id }} as mailing_id,
        trim(campaign_id) as campaign_id,

        -- recipient
        {{ recipient_name }} as recipient_name,
        nullif(regexp_extract(lower({{ recipient_name }}), '{{ title_pattern }}', 1), '')
            as recipient_title,
        regexp_replace({{ recipient_name }}, '{{ title_pattern }}', '', 'i')
            as recipient_full_name,
        nullif(trim(address_line1), '') as address_line1,
        nullif(upper(trim(postcode)), '') as postcode,
        nullif(trim(city), '') as city,
        nullif(upper(trim(country)), '') as country_code,

        -- piece
        lower(trim(piece_type)) as piece_type,
        upper(trim(promo_code)) as promo_code,

        -- dates
        cast(sent_on as date) as sent_date,

        -- lineage
        _load_id,
        _file_id,
        _source_file,
        _source_line,
        _loaded_at

    from source

),

names_split as (

    -- heuristic split of the name without its title: first word = first name
    -- (`Jean-Luc Tremblay`), the rest = last name (`Marie de la Fontaine`)
    select
        *,
        nullif(split_part(recipient_full_name, ' ', 1), '') as first_name,
        nullif(regexp_replace(recipient_full_name, '^\S+\s*', ''), '') as last_name

    from renamed

),

deduplicated as (

    {{ deduplicate_incremental('names_split', 'mailing_id') }}

),

final as (

    select * from deduplicated

)

select * from final
