{{ config(materialized='table') }}
{#-
    Where each identified customer stands at the warehouse's present (as_of_at, its latest
    non-bot interaction): days since the last purchase, the complaints still open, the RFM
    quintiles among all buyers, and the churn risk. These figures move for every customer
    whenever the present moves or any buyer buys, so this table is rebuilt on every run from
    the per-customer intermediates; the view customer_360 joins it with dim_customers and
    int_customer_figures_joined (the figures that change only for the customers a run
    flagged). Its columns are named and typed as in customer_360.
-#}
with

customers as (

    select * from {{ ref('dim_customers') }}

),

interactions as (

    select * from {{ ref('fct_interactions') }}

),

purchases as (

    select * from {{ ref('int_customer_purchases_aggregated') }}

),

summaries as (

    select * from {{ ref('int_customer_interactions_summarized') }}

),

rfm_segments as (

    select * from {{ ref('rfm_segments') }}

),

as_of as (

    -- the warehouse's present: its latest interaction
    select max(occurred_at) as as_of_at from interactions where not is_bot

),

open_complaints as (

    -- a complaint not resolved is open for customer_open_complaint_days before the present
    select
        summaries.customer_id,
        list_filter(
            summaries.unresolved_complaints,
            lambda complaint: complaint.occurred_at
                >= as_of.as_of_at - interval ({{ var('customer_open_complaint_days') }}) day
        ) as complaints,

    from summaries
    cross join as_of

),

rfm_scored as (

    -- quintiles among buyers; ties share the lower score (percent_rank)
    select
        customer_id,
        least(5, 1 + floor(5 * percent_rank() over (order by last_purchase_at))) as recency_score,
        least(5, 1 + floor(5 * percent_rank() over (order by purchases))) as frequency_score,
        least(5, 1 + floor(5 * percent_rank() over (order by net_revenue_eur))) as monetary_score,

    from purchases
    where purchases > 0

),

rfm_segmented as (

    select
        rfm_scored.*,
        rfm_segments.rfm_segment,

    from rfm_scored
    left join rfm_segments
        on rfm_scored.recency_score between rfm_segments.recency_min and rfm_segments.recency_max
        and rfm_scored.frequency_score between rfm_segments.frequency_min and rfm_segments.frequency_max
        and rfm_scored.monetary_score between rfm_segments.monetary_min and rfm_segments.monetary_max
    qualify row_number() over (partition by rfm_scored.customer_id order by rfm_segments.rule_order) = 1

),

joined as (

    select
        customers.customer_id,
        as_of.as_of_at,
        purchases.purchases,
        purchases.average_days_between_purchases,
        date_diff('day', purchases.last_purchase_at, as_of.as_of_at) as days_since_last_purchase,
        open_complaints.complaints,
        rfm_segmented.recency_score,
        rfm_segmented.frequency_score,
        rfm_segmented.monetary_score,
        rfm_segmented.rfm_segment,

    from customers
    cross join as_of
    left join purchases
        on customers.customer_id = purchases.customer_id
    left join open_complaints
        on customers.customer_id = open_complaints.customer_id
    left join rfm_segmented
        on customers.customer_id = rfm_segmented.customer_id
    where not customers.is_anonymous

),

churn_flagged as (

    select
        *,
        case
            when purchases > 0
                and days_since_last_purchase > greatest(
                    {{ var('churn_min_days_since_purchase') }},
                    {{ var('churn_purchase_gap_factor') }} * coalesce(average_days_between_purchases, 0)
                )
                then 'lapsed'
            when purchases > 0 and len(complaints) > 0 then 'open_complaint'
        end as churn_risk_reason,

    from joined

),

final as (

    select
        cast(customer_id as varchar) as customer_id,
        cast(days_since_last_purchase as integer) as days_since_last_purchase,
        cast(coalesce(len(complaints), 0) as bigint) as open_complaints,
        cast(
            nullif(
                array_to_string(
                    list_sort(list_distinct(
                        list_transform(complaints, lambda complaint: complaint.channel)
                    )),
                    ', '
                ),
                ''
            ) as varchar
        ) as open_complaint_channels,
        cast(recency_score as integer) as recency_score,
        cast(frequency_score as integer) as frequency_score,
        cast(monetary_score as integer) as monetary_score,
        -- a buyer outside every rule of the seed stays null (and fails its not_null test)
        cast(case when purchases > 0 then rfm_segment else 'prospect' end as varchar) as rfm_segment,
        cast(churn_risk_reason is not null as boolean) as is_churn_risk,
        cast(churn_risk_reason as varchar) as churn_risk_reason,
        cast(as_of_at as timestamp) as as_of_at,

    from churn_flagged

)

select * from final
