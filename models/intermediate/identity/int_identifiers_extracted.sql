{#-
    One row per (record, identifier type, identifier value): every identifier of every
    staged record, normalised by staging (placeholders are already null and skipped here).
    `member_id_typed` is the member id an agent typed on a call (weak: it needs
    corroboration, see identity_rules); `name_address` the exact name + address key;
    `person_name` the sorted name tokens (never links: it only counts the distinct people
    behind a phone or an email, see identity_rules).
-#}
{%- set name_address_accounts = identity_name_address_key('first_name', 'last_name', 'address_line1', 'postcode') -%}
{%- set name_address_orders = identity_name_address_key('first_name', 'last_name', 'ship_address_line1', 'ship_postcode') -%}
{%- set name_address_mail = identity_name_address_key('recipient_full_name', "''", 'address_line1', 'postcode') -%}
{%- set person_name = identity_name_tokens("coalesce(first_name, '') || ' ' || coalesce(last_name, '')") -%}
{%- set extracts = [
    {'source': 'web', 'extract': 'events', 'model': 'stg_web__events', 'id': 'event_id',
     'where': 'not coalesce(is_bot, false)',
     'identifiers': [('account_id', 'user_id'), ('anonymous_id', 'anonymous_id'),
                     ('email', 'email_canonical'), ('phone', 'phone'), ('order_ref', 'order_id'),
                     ('person_name', person_name)]},
    {'source': 'app', 'extract': 'events', 'model': 'stg_app__events', 'id': 'event_id',
     'identifiers': [('account_id', 'user_id'), ('device_id', 'device_id'), ('order_ref', 'order_id')]},
    {'source': 'ecommerce', 'extract': 'accounts', 'model': 'stg_ecommerce__accounts', 'id': 'account_id',
     'identifiers': [('account_id', 'account_id'), ('email', 'email_canonical'), ('phone', 'phone'),
                     ('name_address', name_address_accounts), ('person_name', person_name)]},
    {'source': 'ecommerce', 'extract': 'orders', 'model': 'stg_ecommerce__orders', 'id': 'order_id',
     'identifiers': [('order_ref', 'order_id'), ('account_id', 'account_id'), ('email', 'email_canonical'),
                     ('phone', 'phone'), ('name_address', name_address_orders), ('person_name', person_name)]},
    {'source': 'pos', 'extract': 'transactions', 'model': 'stg_pos__transactions', 'id': 'receipt_id',
     'identifiers': [('card_number', 'card_number'), ('email', 'email_canonical'), ('phone', 'phone')]},
    {'source': 'loyalty', 'extract': 'members', 'model': 'stg_loyalty__members', 'id': 'member_id',
     'identifiers': [('member_id', 'member_id'), ('card_number', 'card_number'), ('account_id', 'account_id'),
                     ('email', 'email_canonical'), ('phone', 'phone'), ('name_address', name_address_accounts),
                     ('person_name', person_name)]},
    {'source': 'call_center', 'extract': 'calls', 'model': 'stg_call_center__calls', 'id': 'call_id',
     'identifiers': [('phone', 'phone'), ('member_id_typed', 'member_id'), ('order_ref', 'order_ref')]},
    {'source': 'support', 'extract': 'tickets', 'model': 'stg_support__tickets', 'id': 'ticket_id',
     'identifiers': [('email', 'email_canonical'), ('phone', 'phone'), ('order_ref', 'order_ref'),
                     ('person_name', identity_name_tokens('requester_name'))]},
    {'source': 'email', 'extract': 'events', 'model': 'stg_email__events', 'id': 'event_id',
     'identifiers': [('email', 'email_canonical'), ('esp_subscriber_id', 'subscriber_id')]},
    {'source': 'social', 'extract': 'interactions', 'model': 'stg_social__interactions', 'id': 'interaction_id',
     'identifiers': [('email', 'email_canonical'), ('order_ref', 'order_ref')]},
    {'source': 'direct_mail', 'extract': 'sends', 'model': 'stg_direct_mail__sends', 'id': 'mailing_id',
     'identifiers': [('name_address', name_address_mail),
                     ('person_name', identity_name_tokens('recipient_full_name'))]},
] -%}

with

records as (

    select * from {{ ref('int_identity_records_collected') }}

),

{% for e in extracts %}
{{ e.source }}__{{ e.extract }} as (

    select
        {{ identity_record_key(e.source, e.extract, e.id) }} as record_key,
        identifiers.identifier_type,
        identifiers.identifier_value

    from {{ ref(e.model) }}
    cross join lateral (
        values
        {%- for type, expression in e.identifiers %}
            ('{{ type }}', cast({{ expression }} as varchar)){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as identifiers (identifier_type, identifier_value)
    where identifiers.identifier_value is not null
    {% if e.where %}and {{ e.where }}{% endif %}

),

{% endfor %}
unioned as (

    {% for e in extracts %}
    select * from {{ e.source }}__{{ e.extract }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select distinct
        unioned.record_key,
        records.source,
        records.extract,
        records.record_id,
        unioned.identifier_type,
        trim(unioned.identifier_value) as identifier_value,
        records.observed_at,
        records.record_order

    from unioned
    inner join records
        on unioned.record_key = records.record_key
    where trim(unioned.identifier_value) <> ''

)

select * from final
