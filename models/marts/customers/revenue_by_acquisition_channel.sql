{#-
    Customers grouped by acquisition channel and cohort month, with their revenue to date.
    Reads customer_360, so that acquisition (int_customer_acquisitions_identified) and
    lifetime revenue are the 360's own figures.
-#}
with

customers as (

    select * from {{ ref('customer_360') }}

),

grouped as (

    select
        acquisition_channel,
        cohort_month,
        count(*) as customers,
        count(*) filter (where purchases > 0) as buyers,
        sum(lifetime_net_revenue_eur) as net_revenue_eur,

    from customers
    group by acquisition_channel, cohort_month

),

final as (

    select
        cast(acquisition_channel || ':' || coalesce(strftime(cohort_month, '%Y-%m'), 'none') as varchar)
            as acquisition_cohort_id,
        cast(acquisition_channel as varchar) as acquisition_channel,
        cast(cohort_month as date) as cohort_month,
        cast(customers as bigint) as customers,
        cast(buyers as bigint) as buyers,
        cast(net_revenue_eur as decimal(18, 2)) as net_revenue_eur,
        cast(round(net_revenue_eur / customers, 2) as decimal(18, 2)) as net_revenue_per_customer_eur,
        cast(case when buyers > 0 then round(net_revenue_eur / buyers, 2) end as decimal(18, 2))
            as net_revenue_per_buyer_eur,

    from grouped

)

select * from final
