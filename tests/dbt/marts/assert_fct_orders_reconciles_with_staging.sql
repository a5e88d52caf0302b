{{ config(meta={'dagster': {'ref': {'name': 'fct_orders'}}}) }}
-- fct_orders holds every staged order and receipt once, and its receipts' amounts per
-- currency are the tills' totals.
with

staged as (

    select 'ecommerce' as source, currency, count(*) as sales, cast(0 as decimal(18, 2)) as receipts_total
    from {{ ref('stg_ecommerce__orders') }}
    group by currency
    union all
    select 'pos', currency, count(*), sum(total_amount)
    from {{ ref('stg_pos__transactions') }}
    group by currency

),

marts as (

    select
        source,
        currency,
        count(*) as sales,
        coalesce(sum(net_revenue) filter (where source = 'pos'), 0) as receipts_total,
    from {{ ref('fct_orders') }}
    group by source, currency

)

select *
from staged
full outer join marts using (source, currency)
where staged.sales is distinct from marts.sales
    or staged.receipts_total is distinct from marts.receipts_total
