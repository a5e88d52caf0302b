{#-
    One row per staged record that can belong to a customer, with its first delivery order.

    record_order = the first delivery of the record (smallest `_file_id`, then
    `_source_line`, over every version in raw), not its latest version: an order that comes
    again at each status change keeps the place it had when first delivered, so the anchor
    of a customer (and its id) never moves when a record is updated.
-#}
{%- set extracts = [
    {'source': 'web', 'extract': 'events', 'model': 'stg_web__events', 'id': 'event_id',
     'raw_id': 'trim(message_id)', 'observed_at': 'received_at', 'where': 'not coalesce(is_bot, false)'},
    {'source': 'app', 'extract': 'events', 'model': 'stg_app__events', 'id': 'event_id',
     'raw_id': 'trim(event_id)', 'observed_at': 'occurred_at'},
    {'source': 'ecommerce', 'extract': 'accounts', 'model': 'stg_ecommerce__accounts', 'id': 'account_id',
     'raw_id': 'trim(account_id)', 'observed_at': 'updated_at'},
    {'source': 'ecommerce', 'extract': 'orders', 'model': 'stg_ecommerce__orders', 'id': 'order_id',
     'raw_id': clean_reference('order_id'), 'observed_at': 'created_at'},
    {'source': 'pos', 'extract': 'transactions', 'model': 'stg_pos__transactions', 'id': 'receipt_id',
     'raw_id': 'trim(receipt_id)', 'observed_at': 'transacted_at'},
    {'source': 'loyalty', 'extract': 'members', 'model': 'stg_loyalty__members', 'id': 'member_id',
     'raw_id': clean_member_id('member_id'), 'observed_at': 'updated_at'},
    {'source': 'call_center', 'extract': 'calls', 'model': 'stg_call_center__calls', 'id': 'call_id',
     'raw_id': 'trim(call_id)', 'observed_at': 'started_at'},
    {'source': 'support', 'extract': 'tickets', 'model': 'stg_support__tickets', 'id': 'ticket_id',
     'raw_id': 'cast(cast(id as bigint) as varchar)', 'observed_at': 'created_at'},
    {'source': 'email', 'extract': 'events', 'model': 'stg_email__events', 'id': 'event_id',
     'raw_id': 'trim(event_id)', 'observed_at': 'occurred_at'},
    {'source': 'social', 'extract': 'interactions', 'model': 'stg_social__interactions', 'id': 'interaction_id',
     'raw_id': 'trim(id)', 'observed_at': 'created_at'},
    {'source': 'direct_mail', 'extract': 'sends', 'model': 'stg_direct_mail__sends', 'id': 'mailing_id',
     'raw_id': 'trim(mailing_id)', 'observed_at': 'cast(sent_date as timestamp)'},
] -%}

with

{% for e in extracts %}
{{ e.source }}__{{ e.extract }}_first_delivery as (

    select
        {{ e.raw_id }} as record_id,
        min(_file_id * 1000000000 + _source_line) as record_order

    from {{ source(e.source, e.extract) }}
    group by 1

),

{{ e.source }}__{{ e.extract }} as (

    select
        {{ identity_record_key(e.source, e.extract, 'staged.' ~ e.id) }} as record_key,
        '{{ e.source }}' as source,
        '{{ e.extract }}' as extract,
        cast(staged.{{ e.id }} as varchar) as record_id,
        cast({{ e.observed_at }} as timestamp) as observed_at,
        coalesce(
            first_delivery.record_order, staged._file_id * 1000000000 + staged._source_line
        ) as record_order

    from {{ ref(e.model) }} as staged
    left join {{ e.source }}__{{ e.extract }}_first_delivery as first_delivery
        on cast(staged.{{ e.id }} as varchar) = first_delivery.record_id
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
