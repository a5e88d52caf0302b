{#-
    One row per record that carries a person's name and postal address, the input of the
    fuzzy matcher (int_name_address_matches_scored): loyalty members, online accounts with
    an address, guest orders' ship-to (an order with an account is already linked by it),
    direct-mail recipients.
-#}

with

members as (

    select
        {{ identity_record_key('loyalty', 'members', 'member_id') }} as record_key,
        'loyalty' as source,
        first_name, last_name, address_line1, postcode, city,
        country_code as country,
        birth_date

    from {{ ref('stg_loyalty__members') }}

),

accounts as (

    select
        {{ identity_record_key('ecommerce', 'accounts', 'account_id') }} as record_key,
        'ecommerce' as source,
        first_name, last_name, address_line1, postcode, city,
        country_code as country,
        cast(null as date) as birth_date

    from {{ ref('stg_ecommerce__accounts') }}
    where address_line1 is not null

),

guest_orders as (

    select
        {{ identity_record_key('ecommerce', 'orders', 'order_id') }} as record_key,
        'ecommerce' as source,
        first_name, last_name,
        ship_address_line1 as address_line1,
        ship_postcode as postcode,
        ship_city as city,
        ship_country_code as country,
        cast(null as date) as birth_date

    from {{ ref('stg_ecommerce__orders') }}
    where is_guest_checkout

),

mail as (

    select
        {{ identity_record_key('direct_mail', 'sends', 'mailing_id') }} as record_key,
        'direct_mail' as source,
        first_name, last_name, address_line1, postcode, city,
        country_code as country,
        cast(null as date) as birth_date

    from {{ ref('stg_direct_mail__sends') }}

),

unioned as (

    select * from members
    union all
    select * from accounts
    union all
    select * from guest_orders
    union all
    select * from mail

),

final as (

    select * from unioned
    where first_name is not null or last_name is not null

)

select * from final
