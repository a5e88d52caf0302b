{#-
    The golden record: one row per customer (int_identity_records_clustered), survivorship per field
    documented in _identity__marts.yml.
-#}
{%- set sources = var('identity_record_sources') -%}

with

-- import CTEs read more than once are `not materialized`: each reader scans the
-- table again instead of a copy of it being held in memory
clusters as not materialized (

    select * from {{ ref('int_identity_records_clustered') }}

),

records as (

    select * from {{ ref('int_identity_records_collected') }}

),

attributes as (

    select * from {{ ref('int_identity_attributes_collected') }}

),

customer_identifiers as (

    select * from {{ ref('customer_identifiers') }}

),

customer_records as (

    select
        clusters.customer_id,
        clusters.anchor_record_key,
        records.record_key,
        records.source,
        records.observed_at

    from clusters
    inner join records
        on clusters.record_key = records.record_key

),

activity as (

    select
        customer_id,
        any_value(anchor_record_key) as anchor_record_key,
        count(*) as record_count,
        count(distinct source) as source_count,
        {% for source in sources %}
        count(*) filter (where source = '{{ source }}') as {{ source }}_records,
        {% endfor %}
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at

    from customer_records
    group by customer_id

),

customer_attributes as (

    select
        clusters.customer_id,
        attributes.*

    from clusters
    inner join attributes
        on clusters.record_key = attributes.record_key

),

survived as (

    -- ties (same source trust, same time) go to the record with the greatest record_key
    -- (smallest for arg_min), so that a rebuild of the same data picks the same values
    select
        customer_id,
        -- contact data: the most recent non-null value
        arg_max(email, (observed_at, record_key)) filter (where email is not null) as email,
        arg_max(phone, (observed_at, record_key)) filter (where phone is not null) as phone,
        -- name, postal address, birth date: the most trusted source first (loyalty CRM,
        -- accounts, orders' ship-to, direct mail), then the most recent
        arg_min(first_name, (coalesce(address_trust, 9), epoch(observed_at) * -1, record_key))
            filter (where first_name is not null) as first_name,
        arg_min(last_name, (coalesce(address_trust, 9), epoch(observed_at) * -1, record_key))
            filter (where last_name is not null) as last_name,
        arg_min(
            struct_pack(address_line1, postcode, city, country_code),
            (address_trust, epoch(observed_at) * -1, record_key)
        ) filter (where address_line1 is not null and address_trust is not null) as address,
        arg_min(birth_date, (address_trust, epoch(observed_at) * -1, record_key))
            filter (where birth_date is not null) as birth_date,
        -- strong identities: the most recent
        arg_max(account_id, (observed_at, record_key))
            filter (where account_id is not null) as account_id,
        arg_max(member_id, (observed_at, record_key))
            filter (where member_id is not null) as member_id,
        arg_max(card_number, (observed_at, record_key))
            filter (where card_number is not null) as card_number,
        -- opt-outs: true if ever, so that nobody is contacted against their will
        bool_or(is_email_opt_out) as is_email_opted_out,
        bool_or(is_sms_opt_out) as is_sms_opted_out,
        bool_or(is_mail_opt_out) as is_mail_opted_out

    from customer_attributes
    group by customer_id

),

identified as (

    -- a customer known only by cookies or devices is anonymous (customer_identifiers: its
    -- distinct identifiers, ten times fewer rows than its records' identifiers)
    select
        customer_id,
        bool_and(identifier_type in ('anonymous_id', 'device_id')) as is_anonymous

    from customer_identifiers
    group by customer_id

),

final as (

    select
        cast(activity.customer_id as varchar) as customer_id,
        cast(activity.anchor_record_key as varchar) as anchor_record_key,
        cast(coalesce(identified.is_anonymous, false) as boolean) as is_anonymous,
        cast(survived.first_name as varchar) as first_name,
        cast(survived.last_name as varchar) as last_name,
        cast(survived.email as varchar) as email,
        cast(survived.phone as varchar) as phone,
        cast(survived.address.address_line1 as varchar) as address_line1,
        cast(survived.address.postcode as varchar) as postcode,
        cast(survived.address.city as varchar) as city,
        cast(survived.address.country_code as varchar) as country_code,
        cast(survived.birth_date as date) as birth_date,
        cast(survived.account_id as varchar) as account_id,
        cast(survived.member_id as varchar) as member_id,
        cast(survived.card_number as varchar) as card_number,
        cast(coalesce(survived.is_email_opted_out, false) as boolean) as is_email_opted_out,
        cast(coalesce(survived.is_sms_opted_out, false) as boolean) as is_sms_opted_out,
        cast(coalesce(survived.is_mail_opted_out, false) as boolean) as is_mail_opted_out,
        cast(activity.record_count as bigint) as record_count,
        cast(activity.source_count as integer) as source_count,
        {% for source in sources %}
        cast(activity.{{ source }}_records as bigint) as {{ source }}_records,
        {% endfor %}
        cast(activity.first_seen_at as timestamp) as first_seen_at,
        cast(activity.last_seen_at as timestamp) as last_seen_at

    from activity
    left join survived
        on activity.customer_id = survived.customer_id
    left join identified
        on activity.customer_id = identified.customer_id

)

select * from final
