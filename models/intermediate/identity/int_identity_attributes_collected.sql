{#-
    One row per record that carries customer attributes (contact, name, postal address,
    birth date, consent), the input of the survivorship rules of dim_customers.
    address_trust ranks the sources of postal address and birth date: 1 = the loyalty CRM
    (trusted first), 2 = online accounts, 3 = orders' ship-to, 4 = direct-mail recipients.
    Opt-outs are true when the record says the person refused (an unsubscribe or complaint,
    a consent flag off).
-#}

with

web as (

    select
        {{ identity_record_key('web', 'events', 'event_id') }} as record_key,
        received_at as observed_at,
        email, phone, first_name, last_name,
        null as address_line1, null as postcode, null as city, null as country_code,
        cast(null as date) as birth_date, cast(null as integer) as address_trust,
        user_id as account_id, null as member_id, null as card_number,
        false as is_email_opt_out, false as is_sms_opt_out, false as is_mail_opt_out

    from {{ ref('stg_web__events') }}
    where not coalesce(is_bot, false)
        and (email is not null or phone is not null or first_name is not null or user_id is not null)

),

accounts as (

    select
        {{ identity_record_key('ecommerce', 'accounts', 'account_id') }} as record_key,
        updated_at as observed_at,
        email, phone, first_name, last_name,
        address_line1, postcode, city, country_code,
        cast(null as date) as birth_date, 2 as address_trust,
        account_id, null as member_id, null as card_number,
        not coalesce(is_marketing_opted_in, true) as is_email_opt_out,
        false as is_sms_opt_out, false as is_mail_opt_out

    from {{ ref('stg_ecommerce__accounts') }}

),

orders as (

    select
        {{ identity_record_key('ecommerce', 'orders', 'order_id') }} as record_key,
        created_at as observed_at,
        email, phone, first_name, last_name,
        ship_address_line1, ship_postcode, ship_city, ship_country_code,
        cast(null as date) as birth_date, 3 as address_trust,
        account_id, null as member_id, null as card_number,
        false, false, false

    from {{ ref('stg_ecommerce__orders') }}

),

members as (

    select
        {{ identity_record_key('loyalty', 'members', 'member_id') }} as record_key,
        updated_at as observed_at,
        email, phone, first_name, last_name,
        address_line1, postcode, city, country_code,
        birth_date, 1 as address_trust,
        account_id, member_id, card_number,
        not coalesce(is_email_opted_in, true),
        not coalesce(is_sms_opted_in, true),
        not coalesce(is_mail_opted_in, true)

    from {{ ref('stg_loyalty__members') }}

),

receipts as (

    select
        {{ identity_record_key('pos', 'transactions', 'receipt_id') }} as record_key,
        transacted_at as observed_at,
        email, phone, null, null,
        null, null, null, null,
        cast(null as date), cast(null as integer),
        null, null, card_number,
        false, false, false

    from {{ ref('stg_pos__transactions') }}
    where email is not null or phone is not null or card_number is not null

),

tickets as (

    select
        {{ identity_record_key('support', 'tickets', 'ticket_id') }} as record_key,
        created_at as observed_at,
        email, phone, null, null,
        null, null, null, null,
        cast(null as date), cast(null as integer),
        null, null, null,
        false, false, false

    from {{ ref('stg_support__tickets') }}

),

email_events as (

    select
        {{ identity_record_key('email', 'events', 'event_id') }} as record_key,
        occurred_at as observed_at,
        email, null, null, null,
        null, null, null, null,
        cast(null as date), cast(null as integer),
        null, null, null,
        event_type in ('unsubscribed', 'complained'), false, false

    from {{ ref('stg_email__events') }}

),

calls as (

    select
        {{ identity_record_key('call_center', 'calls', 'call_id') }} as record_key,
        started_at as observed_at,
        null, phone, null, null,
        null, null, null, null,
        cast(null as date), cast(null as integer),
        null, null, null,
        false, false, false

    from {{ ref('stg_call_center__calls') }}
    where phone is not null

),

mail as (

    select
        {{ identity_record_key('direct_mail', 'sends', 'mailing_id') }} as record_key,
        cast(sent_date as timestamp) as observed_at,
        null, null, first_name, last_name,
        address_line1, postcode, city, country_code,
        cast(null as date), 4,
        null, null, null,
        false, false, false

    from {{ ref('stg_direct_mail__sends') }}

),

unioned as (

    select * from web
    union all select * from accounts
    union all select * from orders
    union all select * from members
    union all select * from receipts
    union all select * from tickets
    union all select * from email_events
    union all select * from calls
    union all select * from mail

),

final as (

    select
        record_key,
        cast(observed_at as timestamp) as observed_at,
        cast(email as varchar) as email,
        cast(phone as varchar) as phone,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(address_line1 as varchar) as address_line1,
        cast(postcode as varchar) as postcode,
        cast(city as varchar) as city,
        cast(country_code as varchar) as country_code,
        birth_date,
        address_trust,
        cast(account_id as varchar) as account_id,
        cast(member_id as varchar) as member_id,
        cast(card_number as varchar) as card_number,
        is_email_opt_out,
        is_sms_opt_out,
        is_mail_opt_out

    from unioned

)

select * from final
