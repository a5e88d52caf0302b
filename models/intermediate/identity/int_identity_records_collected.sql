{#-
    One row per staged record that can belong to a customer, with its first delivery order
    and its identifiers: every staging view is read here once, and int_identifiers_extracted
    unnests `identifiers`.

    record_order = the first delivery of the record (staging's `_first_delivery_order`:
    smallest `_file_id`, then `_source_line`, over every version), not its latest version:
    an order that comes again at each status change keeps the place it had when first
    delivered, so the anchor of a customer (and its id) never moves when a record is updated.

    identifiers: (identifier_type, identifier_value) of the record, normalised by staging
    (placeholders are already null and skipped). `member_id_typed` is the member id an
    agent typed on a call (weak: it needs corroboration, see identity_rules);
    `name_address` the exact name + address key; `person_name` the sorted name tokens
    (never links: it only counts the distinct people behind a phone or an email, see
    identity_rules).
-#}
{%- set name_address_accounts = identity_name_address_key('first_name', 'last_name', 'address_line1', 'postcode') -%}
{%- set name_address_orders = identity_name_address_key('first_name', 'last_name', 'ship_address_line1', 'ship_postcode') -%}
{%- set name_address_mail = identity_name_address_key('recipient_full_name', "''", 'address_line1', 'postcode') -%}
{%- set person_name = identity_name_tokens("coalesce(first_name, '') || ' ' || coalesce(last_name, '')") -%}
{%- set extracts = [
    {'source': 'web', 'extract': 'events', 'model': 'stg_web__events', 'id': 'event_id',
     'observed_at': 'received_at', 'where': 'not coalesce(is_bot, false)',
     'identifiers': [('account_id', 'user_id'), ('anonymous_id', 'anonymous_id'),
                     ('email', 'email_canonical'), ('phone', 'phone'), ('order_ref', 'order_id'),
                     ('person_name', person_name)]},
    {'source': 'app', 'extract': 'events', 'model': 'stg_app__events', 'id': 'event_id',
     'observed_at': 'occurred_at',
     'identifiers': [('account_id', 'user_id'), ('device_id', 'device_id'), ('order_ref', 'order_id')]},
    {'source': 'ecommerce', 'extract': 'accounts', 'model': 'stg_ecommerce__accounts', 'id': 'account_id',
     'observed_at': 'updated_at',
     'identifiers': [('account_id', 'account_id'), ('email', 'email_canonical'), ('phone', 'phone'),
                     ('name_address', name_address_accounts), ('person_name', person_name)]},
    {'source': 'ecommerce', 'extract': 'orders', 'model': 'stg_ecommerce__orders', 'id': 'order_id',
     'observed_at': 'created_at',
     'identifiers': [('order_ref', 'order_id'), ('account_id', 'account_id'), ('email', 'email_canonical'),
                     ('phone', 'phone'), ('name_address', name_address_orders), ('person_name', person_name)]},
    {'source': 'pos', 'extract': 'transactions', 'model': 'stg_pos__transactions', 'id': 'receipt_id',
     'observed_at': 'transacted_at',
     'identifiers': [('card_number', 'card_number'), ('email', 'email_canonical'), ('phone', 'phone')]},
    {'source': 'loyalty', 'extract': 'members', 'model': 'stg_loyalty__members', 'id': 'member_id',
     'observed_at': 'updated_at',
     'identifiers': [('member_id', 'member_id'), ('card_number', 'card_number'), ('account_id', 'account_id'),
                     ('email', 'email_canonical'), ('phone', 'phone'), ('name_address', name_address_accounts),
                     ('person_name', person_name)]},
    {'source': 'call_center', 'extract': 'calls', 'model': 'stg_call_center__calls', 'id': 'call_id',
     'observed_at': 'started_at',
     'identifiers': [('phone', 'phone'), ('member_id_typed', 'member_id'), ('order_ref', 'order_ref')]},
    {'source': 'support', 'extract': 'tickets', 'model': 'stg_support__tickets', 'id': 'ticket_id',
     'observed_at': 'created_at',
     'identifiers': [('email', 'email_canonical'), ('phone', 'phone'), ('order_ref', 'order_ref'),
                     ('person_name', identity_name_tokens('requester_name'))]},
    {'source': 'email', 'extract': 'events', 'model': 'stg_email__events', 'id': 'event_id',
     'observed_at': 'occurred_at',
     'identifiers': [('email', 'email_canonical'), ('esp_subscriber_id', 'subscriber_id')]},
    {'source': 'social', 'extract': 'interactions', 'model': 'stg_social__interactions', 'id': 'interaction_id',
     'observed_at': 'created_at',
     'identifiers': [('email', 'email_canonical'), ('order_ref', 'order_ref')]},
    {'source': 'direct_mail', 'extract': 'sends', 'model': 'stg_direct_mail__sends', 'id': 'mailing_id',
     'observed_at': 'cast(sent_date as timestamp)',
     'identifiers': [('name_address', name_address_mail),
                     ('person_name', identity_name_tokens('recipient_full_name'))]},
] -%}

with

{% for e in extracts %}
{{ e.source }}__{{ e.extract }} as (

    select
        {{ identity_record_key(e.source, e.extract, 'staged.' ~ e.id) }} as record_key,
        '{{ e.source }}' as source,
        '{{ e.extract }}' as extract,
        cast(staged.{{ e.id }} as varchar) as record_id,
        cast({{ e.observed_at }} as timestamp) as observed_at,
        staged._first_delivery_order as record_order,
        list_filter(
            [
            {%- for type, expression in e.identifiers %}
                {'identifier_type': '{{ type }}', 'identifier_value': trim(cast({{ expression }} as varchar))}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
            ],
            identifier -> coalesce(identifier.identifier_value, '') <> ''
        ) as identifiers

    from {{ ref(e.model) }} as staged
    {% if e.where %}where {{ e.where }}{% endif %}

),

{% endfor %}
unioned as (

    {% for e in extracts %}
    select * from {{ e.source }}__{{ e.extract }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from unioned

)

select * from final
