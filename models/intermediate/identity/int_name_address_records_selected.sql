{#-
    One row per record that carries a person's name and postal address, the input of the
    fuzzy matcher (int_name_address_matches_scored): loyalty members, online accounts with
    an address, guest orders' ship-to (an order with an account is already linked by it),
    direct-mail recipients. `strong_keys`: the identities the record stands for, which the
    matcher never merges into one group beyond the limit allowed (a household's members are
    two): the strong identities of kind `customer` (accounts, loyalty memberships, see
    int_strong_identities_counted) carried by the record or by any record of its exact
    name + address key; for a record without any, `record:<record_key>` when it carries
    another identifier (a guest order, linked by its email or phone: only records that
    carry nothing but a name and an address, direct-mail pieces, are attached by the
    matcher alone); null for those.
-#}

with

-- the identifiers of the sources whose records carry a name + address (every record read
-- below is one of theirs): a fraction of all identifiers, web and email events left out
identifiers as (

    select * from {{ ref('int_identifiers_extracted') }}
    where source in ('loyalty', 'ecommerce', 'direct_mail')

),

strong_identities as (

    select * from {{ ref('int_strong_identities_counted') }}
    where strong_identity_kind = 'customer'

),

record_strong_keys as (

    select distinct identifiers.record_key, strong_identities.strong_key
    from identifiers
    inner join strong_identities
        on identifiers.identifier_type = strong_identities.identifier_type
        and identifiers.identifier_value = strong_identities.identifier_value

),

name_address_keys as (

    select record_key, identifier_value as name_address
    from identifiers
    where identifier_type = 'name_address'

),

-- the record's own strong identities and those of every record with its exact key
strong_keys as (

    select record_key, strong_key from record_strong_keys
    union
    select name_address_keys.record_key, record_strong_keys.strong_key
    from name_address_keys
    inner join name_address_keys as same_key
        on name_address_keys.name_address = same_key.name_address
    inner join record_strong_keys
        on same_key.record_key = record_strong_keys.record_key

),

records_with_other_identifiers as (

    select distinct record_key
    from identifiers
    where identifier_type not in ('name_address', 'person_name')

),

strong_key_lists as (

    select record_key, list(strong_key order by strong_key) as strong_keys
    from strong_keys
    group by record_key

),

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

    select
        unioned.*,
        coalesce(
            strong_key_lists.strong_keys,
            case
                when records_with_other_identifiers.record_key is not null
                    then ['record:' || unioned.record_key]
            end
        ) as strong_keys

    from unioned
    left join strong_key_lists
        on unioned.record_key = strong_key_lists.record_key
    left join records_with_other_identifiers
        on unioned.record_key = records_with_other_identifiers.record_key
    where unioned.first_name is not null or unioned.last_name is not null

)

select * from final
