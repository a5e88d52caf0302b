{#-
    One row per record that carries customer attributes (contact, name, postal address,
    birth date, consent), the input of the survivorship rules of dim_customers.
    address_trust ranks the sources of postal address and birth date: 1 = the loyalty CRM
    (trusted first), 2 = online accounts, 3 = orders' ship-to, 4 = direct-mail recipients.
    Opt-outs are true when the record says the person refused (an unsubscribe or complaint,
    a consent flag off). Each source names only the attributes it has; `union all by name`
    leaves the others null (opt-outs: false).
-#}

with

web as (

    select
        {{ identity_record_key('web', 'events', 'event_id') }} as record_key,
        received_at as observed_at,
        email,
        phone,
        first_name,
        last_name,
        user_id as account_id

    from {{ ref('stg_web__events') }}
    where not coalesce(is_bot, false)
        and (email is not null or phone is not null or first_name is not null or user_id is not null)

),

accounts as (

    select
        {{ identity_record_key('ecommerce', 'accounts', 'account_id') }} as record_key,
        updated_at as observed_at,
        email,
        phone,
        first_name,
        last_name,
        address_line1,
        postcode,
        city,
        country_code,
        2 as address_trust,
        account_id,
        not coalesce(is_marketing_opted_in, true) as is_email_opt_out

    from {{ ref('stg_ecommerce__accounts') }}

),

orders as (

    select
        {{ identity_record_key('ecommerce', 'orders', 'order_id') }} as record_key,
        created_at as observed_at,
        email,
        phone,
        first_name,
        last_name,
        ship_address_line1 as address_line1,
        ship_postcode as postcode,
        ship_city as city,
        ship_country_code as country_code,
        3 as address_trust,
        account_id

    from {{ ref('stg_ecommerce__orders') }}

),

members as (

    select
        {{ identity_record_key('loyalty', 'members', 'member_id') }} as record_key,
        updated_at as observed_at,
        email,
        phone,
        first_name,
        last_name,
        address_line1,
        postcode,
        city,
        country_code,
        birth_date,
        1 as address_trust,
        account_id,
        member_id,
        card_number,
        not coalesce(is_email_opted_in, true) as is_email_opt_out,
        not coalesce(is_sms_opted_in, true) as is_sms_opt_out,
        not coalesce(is_mail_opted_in, true) as is_mail_opt_out

    from {{ ref('stg_loyalty__members') }}

),

receipts as (

    select
        {{ identity_record_key('pos', 'transactions', 'receipt_id') }} as record_key,
        transacted_at as observed_at,
        email,
        phone,
        card_number

    from {{ ref('stg_pos__transactions') }}
    where email is not null or phone is not null or card_number is not null

),

tickets as (

    select
        {{ identity_record_key('support', 'tickets', 'ticket_id') }} as record_key,
        created_at as observed_at,
        email,
        phone

    from {{ ref('stg_support__tickets') }}

),

email_events as (

    select
        {{ identity_record_key('email', 'events', 'event_id') }} as record_key,
        occurred_at as observed_at,
        email,
        event_type in ('unsubscribed', 'complained') as is_email_opt_out

    from {{ ref('stg_email__events') }}

),

calls as (

    select
        {{ identity_record_key('call_center', 'calls', 'call_id') }} as record_key,
        started_at as observed_at,
        phone

    from {{ ref('stg_call_center__calls') }}
    where phone is not null

),

mail as (

    select
        {{ identity_record_key('direct_mail', 'sends', 'mailing_id') }} as record_key,
        cast(sent_date as timestamp) as observed_at,
        first_name,
        last_name,
        address_line1,
        postcode,
        city,
        country_code,
        4 as address_trust

    from {{ ref('stg_direct_mail__sends') }}

),

unioned as (

    select * from web
    union all by name select * from accounts
    union all by name select * from orders
    union all by name select * from members
    union all by name select * from receipts
    union all by name select * from tickets
    union all by name select * from email_events
    union all by name select * from calls
    union all by name select * from mail

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
        cast(birth_date as date) as birth_date,
        cast(address_trust as integer) as address_trust,
        cast(account_id as varchar) as account_id,
        cast(member_id as varchar) as member_id,
        cast(card_number as varchar) as card_number,
        coalesce(is_email_opt_out, false) as is_email_opt_out,
        coalesce(is_sms_opt_out, false) as is_sms_opt_out,
        coalesce(is_mail_opt_out, false) as is_mail_opt_out

    from unioned

)

select * from final
