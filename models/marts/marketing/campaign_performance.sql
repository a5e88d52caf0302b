{#-
    Each campaign's plan (what, who, where, when, how, why, target) beside what happened:
    reach per planned channel, customers reached on more than one channel, engagement,
    conversions, attributed revenue, and the result against the target KPI. Reach and
    engagement come from int_campaign_customers_reached; revenue is credited to a campaign
    through the touches of its sales (int_sale_touches_credited).
-#}
{%- set reach_channels = ['email', 'push', 'social', 'direct_mail', 'call_center'] -%}

with

campaigns as (

    select * from {{ ref('stg_marketing__campaigns') }}

),

spend as (

    select * from {{ ref('int_marketing_spend_converted') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_completed') }}

),

campaign_reach as (

    select * from {{ ref('int_campaign_customers_reached') }}

),

touch_credits as (

    select * from {{ ref('int_sale_touches_credited') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

-- rows are unique per campaign and customer
reach as (

    select
        campaign_id,
        count(*) as customers_reached,
        {% for channel in reach_channels %}
        count(*) filter (where list_contains(planned_channels, '{{ channel }}')) as reached_{{ channel }},
        {% endfor %}
        count(*) filter (where len(planned_channels) > 1) as customers_reached_multichannel,
        count(*) filter (where is_engaged) as customers_engaged,

    from campaign_reach
    group by campaign_id

),

campaign_spend as (

    select
        campaign_id,
        sum(spend_eur) as spend_eur,
        sum(impressions) as impressions,

    from spend
    where campaign_id is not null
    group by campaign_id

),

first_sales as (

    select * from {{ ref('int_first_sales_identified') }}

),

conversions as (

    select
        touch_credits.campaign_id,
        count(distinct touch_credits.order_key) filter (where not orders.is_return)
            as conversions,
        count(distinct touch_credits.order_key) filter (where first_sales.order_key is not null)
            as new_customers,
        sum(touch_credits.credit * orders.net_revenue_eur)
            filter (where touch_credits.attribution_model = 'linear') as revenue_linear_eur,
        sum(touch_credits.credit * orders.net_revenue_eur)
            filter (where touch_credits.attribution_model = 'time_decay') as revenue_time_decay_eur,

    from touch_credits
    inner join orders
        on touch_credits.order_key = orders.order_key
    left join first_sales
        on touch_credits.order_key = first_sales.order_key
    where touch_credits.campaign_id is not null
        and touch_credits.credit > 0
    group by touch_credits.campaign_id

),

planned as (

    select
        campaigns.*,
        fx_rates.rate_to_eur as plan_rate_to_eur,

    from campaigns
    asof left join fx_rates
        on campaigns.currency = fx_rates.currency
        and campaigns.start_date >= fx_rates.rate_date

),

measured as (

    select
        planned.*,
        coalesce(reach.customers_reached, 0) as customers_reached,
        {% for channel in reach_channels %}
        case
            when list_contains(planned.channels, '{{ channel }}')
                then coalesce(reach.reached_{{ channel }}, 0)
        end as reached_{{ channel }},
        {% endfor %}
        coalesce(reach.customers_reached_multichannel, 0) as customers_reached_multichannel,
        coalesce(reach.customers_engaged, 0) as customers_engaged,
        coalesce(campaign_spend.spend_eur, 0) as spend_eur,
        campaign_spend.impressions,
        coalesce(conversions.conversions, 0) as conversions,
        coalesce(conversions.new_customers, 0) as new_customers,
        coalesce(conversions.revenue_linear_eur, 0) as revenue_linear_eur,
        coalesce(conversions.revenue_time_decay_eur, 0) as revenue_time_decay_eur,

    from planned
    left join reach
        on planned.campaign_id = reach.campaign_id
    left join campaign_spend
        on planned.campaign_id = campaign_spend.campaign_id
    left join conversions
        on planned.campaign_id = conversions.campaign_id

),

scored as (

    select
        *,
        -- engaged customers per paid impression when the media plan bought impressions
        -- (a social reaction is its own reach), else per customer reached
        coalesce(
            customers_engaged / nullif(impressions, 0),
            customers_engaged / nullif(customers_reached, 0)
        ) as engagement_rate,
        case kpi
            when 'revenue' then target_value * plan_rate_to_eur
            else target_value
        end as kpi_target,

    from measured

),

kpi_measured as (

    select
        *,
        case kpi
            when 'revenue' then revenue_linear_eur
            when 'orders' then conversions
            when 'new_customers' then new_customers
            when 'engagement_rate' then engagement_rate
        end as kpi_actual,

    from scored

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_message,
        target_segment,
        array_to_string(channels, '|') as planned_channels,
        start_date,
        end_date,
        time_of_day,
        campaign_format,
        objective,
        kpi,
        cast(kpi_target as double) as kpi_target,
        cast(kpi_actual as double) as kpi_actual,
        currency,
        budget_amount,
        cast(budget_amount * plan_rate_to_eur as decimal(18, 2)) as budget_eur,
        cast(spend_eur as decimal(18, 2)) as spend_eur,
        cast(customers_reached as bigint) as customers_reached,
        {% for channel in reach_channels %}
        cast(reached_{{ channel }} as bigint) as reached_{{ channel }},
        {% endfor %}
        cast(customers_reached_multichannel as bigint) as customers_reached_multichannel,
        cast(customers_engaged as bigint) as customers_engaged,
        cast(impressions as bigint) as impressions,
        cast(engagement_rate as double) as engagement_rate,
        cast(conversions as bigint) as conversions,
        cast(new_customers as bigint) as new_customers,
        cast(revenue_linear_eur as double) as revenue_linear_eur,
        cast(revenue_time_decay_eur as double) as revenue_time_decay_eur,
        cast(kpi_actual / nullif(kpi_target, 0) as double) as target_attainment,
        coalesce(kpi_actual >= kpi_target, false) as is_target_met,

    from kpi_measured

)

select * from final
