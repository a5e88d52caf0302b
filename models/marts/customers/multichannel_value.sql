{#-
    What customers using more channels are worth. Two bases: the channels a customer uses
    (distinct channels of their inbound interactions: web, app, phone, store, email, chat,
    social) and the channels they buy in (distinct sales channels of their purchases: web,
    app, phone, store). Customers fall in bands of 0, 1, 2, 3 and 4 or more channels; each
    band's revenue per customer is compared with that of the single-channel band.
-#}
with

customers as (

    select * from {{ ref('customer_360') }}

),

counted as (

    select
        'interaction_channels' as channel_basis,
        channels_used as channel_count,
        purchases,
        lifetime_net_revenue_eur,

    from customers

    union all

    select
        'purchase_channels' as channel_basis,
        purchase_channels as channel_count,
        purchases,
        lifetime_net_revenue_eur,

    from customers

),

banded as (

    select
        channel_basis,
        least(channel_count, 4) as min_channels,
        case when channel_count >= 4 then '4+' else cast(channel_count as varchar) end as channel_band,
        purchases,
        lifetime_net_revenue_eur,

    from counted

),

grouped as (

    select
        channel_basis,
        channel_band,
        min_channels,
        count(*) as customers,
        count(*) filter (where purchases > 0) as buyers,
        sum(lifetime_net_revenue_eur) as net_revenue_eur,
        sum(lifetime_net_revenue_eur) / count(*) as net_revenue_per_customer,

    from banded
    group by channel_basis, channel_band, min_channels

),

compared as (

    select
        *,
        net_revenue_per_customer / nullif(
            any_value(net_revenue_per_customer) filter (where min_channels = 1)
                over (partition by channel_basis),
            0
        ) - 1 as uplift_over_single_channel,

    from grouped

),

final as (

    select
        cast(channel_basis || ':' || channel_band as varchar) as multichannel_value_id,
        cast(channel_basis as varchar) as channel_basis,
        cast(channel_band as varchar) as channel_band,
        cast(min_channels as integer) as min_channels,
        cast(customers as bigint) as customers,
        cast(buyers as bigint) as buyers,
        cast(net_revenue_eur as decimal(18, 2)) as net_revenue_eur,
        cast(round(net_revenue_per_customer, 2) as decimal(18, 2)) as net_revenue_per_customer_eur,
        cast(uplift_over_single_channel as double) as uplift_over_single_channel,

    from compared

)

select * from final
