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
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(birth_date as date) as birth_date,
        cast(member_id as varchar) as member_id,
        cast(account_id as varchar) as account_id,
        cast(country_code as varchar) as country_code,
        -- how to reach them, with their consent
        cast(case when not is_email_opted_out then email end as varchar) as contact_email,
        cast(case when not is_sms_opted_out then phone end as varchar) as contact_phone,
        cast(case when not is_mail_opted_out then address_line1 end as varchar) as contact_address_line1,
        cast(case when not is_mail_opted_out and address_line1 is not null then postcode end as varchar)
            as contact_postcode,
        cast(case when not is_mail_opted_out and address_line1 is not null then city end as varchar)
            as contact_city,
        cast(email is not null and not is_email_opted_out as boolean) as can_email,
        cast(phone is not null and not is_sms_opted_out as boolean) as can_sms,
        cast(address_line1 is not null and not is_mail_opted_out as boolean) as can_mail,
        -- what they bought
        cast(coalesce(net_revenue_eur, 0) as decimal(18, 2)) as lifetime_net_revenue_eur,
        cast(coalesce(purchases, 0) as bigint) as purchases,
        cast(coalesce(returns, 0) as bigint) as returns,
        cast(case when purchases > 0 then round(net_revenue_eur / purchases, 2) end as decimal(18, 2))
            as average_order_value_eur,
        cast(first_purchase_at as timestamp) as first_purchase_at,
        cast(last_purchase_at as timestamp) as last_purchase_at,
        standings.days_since_last_purchase,
        cast(average_days_between_purchases as double) as average_days_between_purchases,
        {% for channel in sales_channels %}
        cast(coalesce({{ channel }}_net_revenue_eur, 0) as decimal(18, 2)) as {{ channel }}_net_revenue_eur,
        cast(coalesce({{ channel }}_purchases, 0) as bigint) as {{ channel }}_purchases,
        {% endfor %}
        cast(coalesce(purchase_channels, 0) as integer) as purchase_channels,
        -- the channels they use, and when
        cast(coalesce(channels_used, 0) as integer) as channels_used,
        cast(channel_list as varchar) as channel_list,
        cast(preferred_channel as varchar) as preferred_channel,
        cast(preferred_part_of_day as varchar) as preferred_part_of_day,
        cast(part_of_day_time_zone as varchar) as part_of_day_time_zone,
        -- the last interaction
        cast(last_interaction.occurred_at as timestamp) as last_interaction_at,
        cast(last_interaction.channel as varchar) as last_interaction_channel,
        cast(last_interaction.interaction_type as varchar) as last_interaction_type,
        cast(last_interaction.summary as varchar) as last_interaction_summary,
        -- the last message they received, and how they reacted
        cast(last_message_at as timestamp) as last_message_at,
        cast(last_message_channel as varchar) as last_message_channel,
        cast(last_message_type as varchar) as last_message_type,
        cast(last_message_campaign_id as varchar) as last_message_campaign_id,
        cast(is_last_message_opened as boolean) as is_last_message_opened,
        cast(is_last_message_clicked as boolean) as is_last_message_clicked,
        cast(is_last_message_bought as boolean) as is_last_message_bought,
        cast(is_last_message_complained as boolean) as is_last_message_complained,
        -- complaints and satisfaction
        standings.open_complaints,
        standings.open_complaint_channels,
        cast(last_complaint_at as timestamp) as last_complaint_at,
        cast(average_satisfaction_score as double) as average_satisfaction_score,
        cast(coalesce(satisfaction_ratings, 0) as bigint) as satisfaction_ratings,
        -- acquisition
        cast(coalesce(acquisition_channel, 'unknown') as varchar) as acquisition_channel,
        cast(coalesce(acquisition_basis, 'none') as varchar) as acquisition_basis,
        cast(acquired_at as timestamp) as acquired_at,
        cast(first_interaction_at as timestamp) as first_interaction_at,
        cast(cohort_month as date) as cohort_month,
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
