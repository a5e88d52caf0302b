{{ config(materialized='view') }}
{#-
    The customer 360: one row per identified customer (dim_customers, not anonymous), what a
    store clerk or an agent needs before speaking to them. A view of three tables, one row
    per customer each: who the customer is and how to reach them (dim_customers, consent
    applied here), their figures (int_customer_figures_joined, incremental: rewritten only
    for the customers a run changed) and where they stand at the warehouse's present
    (int_customer_standings_evaluated, rebuilt on every run: the present, the RFM quintiles
    and the churn risk move for every customer). Stored as a table, the whole mart would be
    rewritten every night for those moving columns; the serving file publishes it as a
    table for BI tools. Bots are left out of every figure.
-#}
{%- set sales_channels = ['web', 'app', 'phone', 'store'] -%}
with

customers as (

    select * from {{ ref('dim_customers') }}

),

figures as (

    select * from {{ ref('int_customer_figures_joined') }}

),

standings as (

    select * from {{ ref('int_customer_standings_evaluated') }}

),

final as (

    select
        cast(customers.customer_id as varchar) as customer_id,
        -- who they are
        cast(customers.first_name as varchar) as first_name,
        cast(customers.last_name as varchar) as last_name,
        cast(customers.birth_date as date) as birth_date,
        cast(customers.member_id as varchar) as member_id,
        cast(customers.account_id as varchar) as account_id,
        cast(customers.country_code as varchar) as country_code,
        -- how to reach them, with their consent
        cast(case when not customers.is_email_opted_out then customers.email end as varchar)
            as contact_email,
        cast(case when not customers.is_sms_opted_out then customers.phone end as varchar)
            as contact_phone,
        cast(case when not customers.is_mail_opted_out then customers.address_line1 end as varchar)
            as contact_address_line1,
        cast(
            case
                when not customers.is_mail_opted_out and customers.address_line1 is not null
                    then customers.postcode
            end as varchar
        ) as contact_postcode,
        cast(
            case
                when not customers.is_mail_opted_out and customers.address_line1 is not null
                    then customers.city
            end as varchar
        ) as contact_city,
        cast(customers.email is not null and not customers.is_email_opted_out as boolean) as can_email,
        cast(customers.phone is not null and not customers.is_sms_opted_out as boolean) as can_sms,
        cast(customers.address_line1 is not null and not customers.is_mail_opted_out as boolean) as can_mail,
        -- what they bought
        cast(coalesce(figures.net_revenue_eur, 0) as decimal(18, 2)) as lifetime_net_revenue_eur,
        cast(coalesce(figures.purchases, 0) as bigint) as purchases,
        cast(coalesce(figures.returns, 0) as bigint) as returns,
        cast(
            case when figures.purchases > 0 then round(figures.net_revenue_eur / figures.purchases, 2) end
            as decimal(18, 2)
        ) as average_order_value_eur,
        cast(figures.first_purchase_at as timestamp) as first_purchase_at,
        cast(figures.last_purchase_at as timestamp) as last_purchase_at,
        standings.days_since_last_purchase,
        cast(figures.average_days_between_purchases as double) as average_days_between_purchases,
        {% for channel in sales_channels %}
        cast(coalesce(figures.{{ channel }}_net_revenue_eur, 0) as decimal(18, 2))
            as {{ channel }}_net_revenue_eur,
        cast(coalesce(figures.{{ channel }}_purchases, 0) as bigint) as {{ channel }}_purchases,
        {% endfor %}
        cast(coalesce(figures.purchase_channels, 0) as integer) as purchase_channels,
        -- the channels they use, and when
        cast(coalesce(figures.channels_used, 0) as integer) as channels_used,
        cast(figures.channel_list as varchar) as channel_list,
        cast(figures.preferred_channel as varchar) as preferred_channel,
        cast(figures.preferred_part_of_day as varchar) as preferred_part_of_day,
        cast(figures.part_of_day_time_zone as varchar) as part_of_day_time_zone,
        -- the last interaction
        cast(figures.last_interaction.occurred_at as timestamp) as last_interaction_at,
        cast(figures.last_interaction.channel as varchar) as last_interaction_channel,
        cast(figures.last_interaction.interaction_type as varchar) as last_interaction_type,
        cast(figures.last_interaction.summary as varchar) as last_interaction_summary,
        -- the last message they received, and how they reacted
        cast(figures.last_message_at as timestamp) as last_message_at,
        cast(figures.last_message_channel as varchar) as last_message_channel,
        cast(figures.last_message_type as varchar) as last_message_type,
        cast(figures.last_message_campaign_id as varchar) as last_message_campaign_id,
        cast(figures.is_last_message_opened as boolean) as is_last_message_opened,
        cast(figures.is_last_message_clicked as boolean) as is_last_message_clicked,
        cast(figures.is_last_message_bought as boolean) as is_last_message_bought,
        cast(figures.is_last_message_complained as boolean) as is_last_message_complained,
        -- complaints and satisfaction
        standings.open_complaints,
        standings.open_complaint_channels,
        cast(figures.last_complaint_at as timestamp) as last_complaint_at,
        cast(figures.average_satisfaction_score as double) as average_satisfaction_score,
        cast(coalesce(figures.satisfaction_ratings, 0) as bigint) as satisfaction_ratings,
        -- acquisition
        cast(coalesce(figures.acquisition_channel, 'unknown') as varchar) as acquisition_channel,
        cast(coalesce(figures.acquisition_basis, 'none') as varchar) as acquisition_basis,
        cast(figures.acquired_at as timestamp) as acquired_at,
        cast(figures.first_interaction_at as timestamp) as first_interaction_at,
        cast(figures.cohort_month as date) as cohort_month,
        -- value and risk
        standings.recency_score,
        standings.frequency_score,
        standings.monetary_score,
        standings.rfm_segment,
        standings.is_churn_risk,
        standings.churn_risk_reason,
        standings.as_of_at,

    from customers
    left join figures
        on customers.customer_id = figures.customer_id
    left join standings
        on customers.customer_id = standings.customer_id
    where not customers.is_anonymous

)

select * from final
