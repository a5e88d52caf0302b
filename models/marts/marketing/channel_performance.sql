{#-
    Per marketing channel and month: what was spent (TV, radio and print included, which
    have no clicks), the revenue each attribution model gives the channel, ROAS, new
    customers and their cost, conversions, and touches only with what they led to.
-#}
with

spend as (

    select * from {{ ref('int_marketing_spend_converted') }}

),

attribution as (

    select * from {{ ref('channel_attribution') }}

),

touch_credits as (

    select * from {{ ref('int_sale_touches_credited') }}

),

interactions as (

    select * from {{ ref('fct_interactions') }}

),

spend_eur as (

    select
        date_trunc('month', spend_date) as month,
        marketing_channel,
        sum(spend_eur) as spend_eur,
        sum(clicks) as clicks,

    from spend
    group by all

),

first_sales as (

    select * from {{ ref('int_first_sales_identified') }}

),

attributed as (

    select
        date_trunc('month', attribution.ordered_date) as month,
        attribution.marketing_channel,
        {% for model in ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay'] %}
        sum(attribution.attributed_revenue_eur) filter (where attribution.attribution_model = '{{ model }}')
            as revenue_{{ model }}_eur,
        {% endfor %}
        sum(attribution.credit) filter (where attribution.attribution_model = 'linear')
            as conversions_linear,
        -- a new customer belongs to the channel that first touched their first sale
        sum(attribution.credit) filter (
            where attribution.attribution_model = 'first_touch'
            and first_sales.order_key is not null
        ) as new_customers,

    from attribution
    left join first_sales
        on attribution.order_key = first_sales.order_key
    group by all

),

touches_flagged as (

    -- a touch is before a sale when a sale credits it (every model lists every touch of
    -- its sales: linear is enough); a semi-join, not a join fanned out over the sales
    select
        occurred_date,
        marketing_channel,
        interaction_id in (
            select interaction_id from touch_credits where attribution_model = 'linear'
        ) as is_before_a_sale,

    from interactions
    where is_attribution_touch
        and not is_bot

),

touches as (

    select
        date_trunc('month', occurred_date) as month,
        marketing_channel,
        count(*) as touches,
        count(*) filter (where is_before_a_sale) as touches_before_a_sale,

    from touches_flagged
    group by all

),

months_channels as (

    select month, marketing_channel from spend_eur
    union
    select month, marketing_channel from attributed
    union
    select month, marketing_channel from touches

),

final as (

    select
        {{ generate_surrogate_key(['months_channels.month', 'months_channels.marketing_channel']) }}
            as channel_month_id,
        cast(months_channels.month as date) as month,
        months_channels.marketing_channel,
        cast(coalesce(spend_eur.spend_eur, 0) as decimal(18, 2)) as spend_eur,
        {% for model in ['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay'] %}
        cast(coalesce(attributed.revenue_{{ model }}_eur, 0) as double) as revenue_{{ model }}_eur,
        {% endfor %}
        cast(attributed.revenue_linear_eur / nullif(spend_eur.spend_eur, 0) as double) as roas_linear,
        cast(attributed.revenue_time_decay_eur / nullif(spend_eur.spend_eur, 0) as double) as roas_time_decay,
        cast(coalesce(attributed.conversions_linear, 0) as double) as conversions_linear,
        cast(coalesce(attributed.new_customers, 0) as double) as new_customers,
        cast(spend_eur.spend_eur / nullif(attributed.new_customers, 0) as double) as cost_per_new_customer_eur,
        cast(coalesce(touches.touches, 0) as bigint) as touches,
        cast(touches.touches_before_a_sale / nullif(touches.touches, 0) as double) as touch_to_sale_rate,
        cast(spend_eur.clicks as bigint) as paid_clicks,
        cast(spend_eur.spend_eur / nullif(spend_eur.clicks, 0) as double) as cost_per_click_eur,

    from months_channels
    left join spend_eur
        on months_channels.month = spend_eur.month
        and months_channels.marketing_channel = spend_eur.marketing_channel
    left join attributed
        on months_channels.month = attributed.month
        and months_channels.marketing_channel = attributed.marketing_channel
    left join touches
        on months_channels.month = touches.month
        and months_channels.marketing_channel = touches.marketing_channel

)

select * from final
