{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook=["{{ delete_changed_rows('int_customer_changes_detected', 'customer_id') }}"],
        post_hook=["{{ record_incremental_progress() }}"],
    )
}}
{#-
    The first purchase of every identified customer (macro is_purchase: returns, cancelled
    and pending orders excluded): where and when they became a buyer.

    Incremental on load time: a run recomputes the customers int_customer_changes_detected
    flagged (the pre-hook deletes their rows first).
-#}
-- depends_on: {{ ref('int_customer_changes_detected') }}
with

orders as (

    select * from {{ ref('fct_orders') }}
    {{ where_changed('int_customer_changes_detected', 'customer_id') }}

),

final as (

    select
        customer_id,
        min_by(order_key, (ordered_at, order_key)) as order_key,
        min(ordered_at) as first_ordered_at,

    from orders
    where customer_id is not null
        and {{ is_purchase() }}
    group by customer_id

)

select * from final
