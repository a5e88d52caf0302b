"""Marts: revenue that reconciles from staging through every mart, attribution credits that
sum to 1, and the share of each source's interactions that found a customer.

Every suite validates aggregates computed in DuckDB (one row per sales channel, currency,
model or source), never a mart pulled into pandas. dbt tests already check the marts' keys,
enumerations and relationships; these suites check the data across models.
"""

from __future__ import annotations

import great_expectations.expectations as gxe

from omni.quality.core import Layer, Rule, Suite

CENT = 0.005

REVENUE_RECONCILES = Suite(
    asset=("marts", "fct_orders"),
    check="revenue_reconciles",
    query="""
        with

        staged as (
            select 'ecommerce' as source, currency,
                sum(case when order_status in ('cancelled', 'pending') then 0
                    else total_amount - refunded_amount end) as amount
            from staging.stg_ecommerce__orders
            group by currency
            union all
            select 'pos', currency, sum(total_amount)
            from staging.stg_pos__transactions
            group by currency
        ),

        sold as (
            select source, currency, sum(net_revenue) as amount
            from marts.fct_orders
            group by source, currency
        ),

        orders as (
            select sales_channel, sum(net_revenue_eur) as amount
            from marts.fct_orders
            group by sales_channel
        ),

        identified as (
            select sum(net_revenue_eur) as amount
            from marts.fct_orders
            where customer_id in (select customer_id from marts.customer_360)
        ),

        other_marts as (
            select 'channel_revenue_daily' as mart, sales_channel, sum(net_revenue_eur) as amount
            from marts.channel_revenue_daily
            group by sales_channel
            union all
            select 'fct_interactions', channel, sum(revenue_eur)
            from marts.fct_interactions
            where source in ('ecommerce', 'pos')
            group by channel
            union all
            select 'channel_attribution:' || attribution_model, sales_channel,
                sum(attributed_revenue_eur)
            from marts.channel_attribution
            group by attribution_model, sales_channel
        ),

        compared as (
            select 'staging -> fct_orders' as comparison, staged.source || ' ' || staged.currency
                as part, staged.amount as expected, coalesce(sold.amount, 0) as measured
            from staged
            left join sold using (source, currency)
            union all
            select 'fct_orders -> ' || other_marts.mart, orders.sales_channel, orders.amount,
                coalesce(other_marts.amount, 0)
            from orders
            join other_marts using (sales_channel)
            union all
            select 'fct_orders -> customer_360', 'identified customers', identified.amount,
                (select coalesce(sum(lifetime_net_revenue_eur), 0) from marts.customer_360)
            from identified
        )

        select comparison, part, expected, measured, measured - expected as gap
        from compared
        order by comparison, part
    """,
    rules=(
        Rule(
            gxe.ExpectColumnValuesToBeBetween(column="gap", min_value=-CENT, max_value=CENT),
            "Net revenue is the same, to the cent, in staging, fct_orders and every mart that "
            "reports it (daily revenue, the timeline, each attribution model, the 360).",
            blocking=True,
        ),
    ),
    description="Net revenue per currency and sales channel, staging against each mart.",
    index_columns=("comparison", "part"),
)

CREDITS_SUM_TO_ONE = Suite(
    asset=("marts", "channel_attribution"),
    check="credits_sum_to_one",
    query="""
        with

        models (attribution_model) as (
            values ('first_touch'), ('last_touch'), ('linear'), ('position_based'),
                ('time_decay')
        ),

        credit_sums as (
            select order_key, attribution_model, sum(credit) as credit
            from marts.channel_attribution
            group by order_key, attribution_model
        ),

        per_sale as (
            select models.attribution_model, orders.order_key, coalesce(credit_sums.credit, 0)
                as credit
            from marts.fct_orders as orders
            cross join models
            left join credit_sums using (order_key, attribution_model)
        )

        select
            attribution_model,
            count(*) as sales,
            count(*) filter (where abs(credit - 1) > 1e-9) as sales_off,
            min(order_key) filter (where abs(credit - 1) > 1e-9) as example
        from per_sale
        group by attribution_model
        order by attribution_model
    """,
    rules=(
        Rule(
            gxe.ExpectColumnValuesToBeBetween(column="sales_off", max_value=0),
            "Each model shares out every sale exactly once: the credits of a sale sum to 1.",
            blocking=True,
        ),
    ),
    description="Sales whose credits do not sum to 1, per attribution model.",
    index_columns=("attribution_model", "example"),
)

# Least share of a source's interactions (bots excluded) that belongs to a customer. Online
# orders and email events always carry an email; the others only when the customer gave
# something that identifies them, or logged in.
CUSTOMER_FLOORS: dict[str, float] = {
    "ecommerce": 0.99,
    "email": 0.99,
    "app": 0.9,
    "support": 0.8,
    "web": 0.6,
    "direct_mail": 0.6,
    "pos": 0.35,
    "call_center": 0.2,
    "social": 0.01,
}


def _floors_sql() -> str:
    return ", ".join(f"('{source}', {floor})" for source, floor in CUSTOMER_FLOORS.items())


CUSTOMER_SHARE = Suite(
    asset=("marts", "fct_interactions"),
    check="customer_share",
    query=f"""
        with

        floors (source, floor) as (values {_floors_sql()}),

        shares as (
            select
                source,
                count(*) as interactions,
                count(customer_id) as with_customer,
                count(customer_id) / count(*) as share
            from marts.fct_interactions
            where not is_bot
            group by source
        )

        select floors.source, shares.interactions, shares.with_customer, floors.floor,
            shares.share - floors.floor as share_over_floor
        from floors
        left join shares using (source)
        order by floors.source
    """,
    rules=(
        Rule(
            gxe.ExpectColumnValuesToBeBetween(column="share_over_floor", min_value=0),
            "Each source keeps its usual share of interactions with a customer: a drop "
            "means identity or the timeline's join to it broke for that source.",
        ),
    ),
    description="Share of each source's interactions (bots excluded) that have a customer.",
    index_columns=("source", "interactions", "with_customer", "floor"),
)

SUITES: tuple[Suite, ...] = (REVENUE_RECONCILES, CREDITS_SUM_TO_ONE, CUSTOMER_SHARE)
LAYER = Layer("marts", SUITES)
