{#-
    The rates of finance/fx_rates plus EUR at 1, for an as-of join: a sale is converted at
    the latest rate on or before its date (weekends and holidays have no row).
-#}
with

fx_rates as (

    select * from {{ ref('stg_finance__fx_rates') }}

),

delivered as (

    select
        currency,
        rate_date,
        rate_to_eur,
        _loaded_at,
    from fx_rates

),

reporting_currency as (

    select
        'EUR' as currency,
        date '1900-01-01' as rate_date,
        cast(1 as decimal(18, 8)) as rate_to_eur,
        timestamp '1900-01-01' as _loaded_at,

),

final as (

    select * from delivered
    union all
    select * from reporting_currency

)

select * from final
