{#-
    Media and channel spend in EUR, at the rate of the spend date (the last earlier rate on
    a day without one).
-#}
with

spend as (

    select * from {{ ref('stg_marketing__spend') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_completed') }}

),

final as (

    select
        spend.spend_id,
        spend.spend_date,
        spend.channel as marketing_channel,
        spend.campaign_id,
        spend.currency,
        spend.spend_amount,
        spend.spend_amount * fx_rates.rate_to_eur as spend_eur,
        spend.impressions,
        spend.clicks,

    from spend
    asof left join fx_rates
        on spend.currency = fx_rates.currency
        and spend.spend_date >= fx_rates.rate_date

)

select * from final
