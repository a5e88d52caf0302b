{#-
    The first purchase of every identified customer (macro is_purchase: returns, cancelled
    and pending orders excluded): where and when they became a buyer.
-#}
with

orders as (

    select * from {{ ref('fct_orders') }}

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
