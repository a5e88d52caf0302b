{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_sale_changes_detected', 'order_key') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The marketing touches of every sale: the customer's attribution touches within
    `attribution_window_days` before it, and the direct-mail piece whose promo code it
    redeemed (at any age: the code proves the response). A return is credited like the sale
    it returns (int_sale_changes_detected), so that channels give back what they earned.

    Incremental on load time: a run recomputes the sales int_sale_changes_detected flagged
    (the pre-hook deletes their rows first).
-#}
with

-- import CTEs read more than once are `not materialized`: each reader scans the
-- table again instead of a copy of it being held in memory
tracked_sales as (

    select * from {{ ref('int_sale_changes_detected') }}

),

interactions as not materialized (

    select * from {{ ref('fct_interactions') }}

),

sales as (

    select
        order_key,
        credited_customer_id as customer_id,
        credited_at,
        promo_code,

    from tracked_sales
    {{ where_changed('int_sale_changes_detected', 'order_key') }}

),

customer_touches as (

    select
        customer_id,
        interaction_id,
        marketing_channel,
        campaign_id,
        occurred_at,

    from interactions
    where is_attribution_touch
        and not is_bot
        and customer_id is not null
        {% if is_incremental() %}
        and customer_id in (select customer_id from sales)
        {% endif %}

),

mail_pieces as (

    select
        interaction_id,
        promo_code,
        marketing_channel,
        campaign_id,
        occurred_at,

    from interactions
    where source = 'direct_mail'

),

touches_in_window as (

    select
        sales.order_key,
        sales.credited_at,
        customer_touches.interaction_id,
        customer_touches.marketing_channel,
        customer_touches.campaign_id,
        customer_touches.occurred_at,

    from sales
    inner join customer_touches
        on sales.customer_id = customer_touches.customer_id
        and customer_touches.occurred_at <= sales.credited_at
        and customer_touches.occurred_at
            > sales.credited_at - interval ({{ var('attribution_window_days') }}) day

),

redeemed_pieces as (

    select
        sales.order_key,
        sales.credited_at,
        mail_pieces.interaction_id,
        mail_pieces.marketing_channel,
        mail_pieces.campaign_id,
        mail_pieces.occurred_at,

    from sales
    inner join mail_pieces
        on sales.promo_code = mail_pieces.promo_code
        and mail_pieces.occurred_at <= sales.credited_at

),

touches as (

    select * from touches_in_window
    union
    select * from redeemed_pieces

),

final as (

    select
        {{ generate_surrogate_key(['order_key', 'interaction_id']) }} as sale_touch_id,
        order_key,
        interaction_id,
        marketing_channel,
        campaign_id,
        occurred_at,
        credited_at,
        row_number() over by_sale as touch_number,
        count(*) over (partition by order_key) as touches,
        date_diff('second', occurred_at, credited_at) / 86400.0 as days_before_sale,

    from touches
    window by_sale as (partition by order_key order by occurred_at, interaction_id)

)

select * from final
