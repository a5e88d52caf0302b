{#-
    One row per strong identity value (types with a strong_identity_kind in identity_rules:
    online account ids and loyalty member ids, kind `customer`; ESP subscriber ids, kind
    `subscriber`) and the key it is counted under when deciding whether another identifier
    is shared (int_identity_links_evaluated counts distinct keys per kind).

    - an online account counts as itself (`account_id:<id>`): two accounts are two people;
    - a loyalty membership that names its account counts as that account, and so does a
      membership without account that has the name of an account and shares its email or its
      phone (one person who never typed the account id at the till);
    - a membership without account counts as itself (`member_id:<id>`), but int_identity_links_evaluated
      does not count it when an account with the same normalised name (name_key) stands
      behind the same value: the account and the membership of one person.
-#}

with

rules as (

    select * from {{ ref('identity_rules') }}

),

identifiers as (

    select distinct extracted.identifier_type, extracted.identifier_value, rules.strong_identity_kind
    from {{ ref('int_identifiers_extracted') }} as extracted
    inner join rules using (identifier_type)
    where rules.strong_identity_kind is not null

),

accounts as (

    select
        'account_id' as identifier_type,
        account_id,
        email_canonical,
        phone,
        {{ identity_name_tokens("first_name || ' ' || last_name") }} as name_key

    from {{ ref('stg_ecommerce__accounts') }}

),

staged_members as (

    select
        member_id,
        account_id,
        email_canonical,
        phone,
        {{ identity_name_tokens("first_name || ' ' || last_name") }} as name_key

    from {{ ref('stg_loyalty__members') }}

),

-- memberships without account: the account of the same name with the same email or phone
members_contact_accounts as (

    select
        staged_members.member_id,
        min(accounts.account_id) as account_id

    from staged_members
    inner join accounts
        on staged_members.name_key = accounts.name_key
        and (
            staged_members.email_canonical = accounts.email_canonical
            or staged_members.phone = accounts.phone
        )
    where staged_members.account_id is null
    group by staged_members.member_id

),

members as (

    select
        'member_id' as identifier_type,
        staged_members.member_id,
        coalesce(staged_members.account_id, members_contact_accounts.account_id) as account_id,
        coalesce(accounts.name_key, staged_members.name_key) as name_key

    from staged_members
    left join members_contact_accounts
        on staged_members.member_id = members_contact_accounts.member_id
    left join accounts
        on staged_members.account_id = accounts.account_id

),

named as (

    select
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.strong_identity_kind,
        case identifiers.identifier_type
            when 'account_id' then accounts.name_key
            when 'member_id' then members.name_key
        end as name_key,
        case identifiers.identifier_type
            when 'member_id' then members.account_id
        end as member_account_id

    -- equality on the type as well (not a filter on one side), so that both are hash joins
    from identifiers
    left join accounts
        on identifiers.identifier_type = accounts.identifier_type
        and identifiers.identifier_value = accounts.account_id
    left join members
        on identifiers.identifier_type = members.identifier_type
        and identifiers.identifier_value = members.member_id

),

final as (

    select
        identifier_type,
        identifier_value,
        strong_identity_kind,
        name_key,
        case
            when member_account_id is not null then 'account_id:' || member_account_id
            else identifier_type || ':' || identifier_value
        end as strong_key

    from named

)

select * from final
