"""The customer marts on the generated sample: they reconcile with dim_customers and fct_orders.

customer_360, revenue_by_acquisition_channel, multichannel_value and channel_journeys are
built by the whole pipeline (Dagster -> dbt, their dbt tests included) and checked here
against independent queries of the marts they read.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

pytestmark = pytest.mark.integration

# macro is_purchase, written out: a store sale or an online order neither cancelled nor pending
PURCHASE = (
    "transaction_type = 'sale' and coalesce(order_status, '') not in ('cancelled', 'pending')"
)


@pytest.fixture(scope="module")
def con(built_sample) -> Iterator[duckdb.DuckDBPyConnection]:
    summary, warehouse, _ = built_sample
    assert summary.ok, str(summary)
    assert [name for name in summary.checks_failed if "customer" in name] == []
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.sql(sql).fetchone()[0]


def test_one_row_per_identified_customer(con):
    missing_or_extra = one(
        con,
        """
        select count(*) from (
            select customer_id from marts.dim_customers where not is_anonymous
            except
            select customer_id from marts.customer_360
        )
        """,
    )
    customers = one(con, "select count(*) from marts.dim_customers where not is_anonymous")
    assert customers > 200
    assert missing_or_extra == 0
    assert one(con, "select count(*) from marts.customer_360") == customers


def test_revenue_and_purchases_equal_fct_orders_per_sales_channel(con):
    orders = {
        channel: (revenue, purchases)
        for channel, revenue, purchases in con.sql(
            f"""
            select sales_channel, sum(net_revenue_eur), count(*) filter (where {PURCHASE})
            from marts.fct_orders where customer_id is not null group by 1
            """
        ).fetchall()
    }
    assert set(orders) == {"web", "app", "phone", "store"}
    for channel, (revenue, purchases) in orders.items():
        row = con.sql(
            f"select sum({channel}_net_revenue_eur), sum({channel}_purchases) "
            "from marts.customer_360"
        ).fetchone()
        assert row == (revenue, purchases), channel
    total = sum(revenue for revenue, _ in orders.values())
    assert one(con, "select sum(lifetime_net_revenue_eur) from marts.customer_360") == total
    assert one(con, "select sum(purchases) from marts.customer_360") == sum(
        purchases for _, purchases in orders.values()
    )
    assert total > Decimal("10000")


def test_consent_hides_the_contacts_of_customers_who_opted_out(con):
    leaks = one(
        con,
        """
        select count(*) from marts.customer_360 c
        inner join marts.dim_customers d using (customer_id)
        where (d.is_email_opted_out and c.contact_email is not null)
            or (d.is_sms_opted_out and c.contact_phone is not null)
            or (d.is_mail_opted_out and c.contact_address_line1 is not null)
        """,
    )
    opted_out = one(con, "select count(*) from marts.dim_customers where is_email_opted_out")
    shown = one(con, "select count(*) from marts.customer_360 where can_email")
    assert leaks == 0
    assert opted_out > 0 and shown > 0


def test_channels_and_last_interaction_agree_with_the_timeline(con):
    disagreements = one(
        con,
        """
        with timeline as (
            select
                customer_id,
                count(distinct channel) filter (where direction = 'inbound') as channels,
                max(occurred_at) filter (where direction = 'inbound' or source = 'call_center')
                    as last_at,
            from marts.fct_interactions
            where customer_id is not null and not is_bot
            group by customer_id
        )
        select count(*) from marts.customer_360 c
        left join timeline t using (customer_id)
        where c.channels_used <> coalesce(t.channels, 0)
            or c.last_interaction_at is distinct from t.last_at
            or (c.channels_used > 0) <> (c.preferred_channel is not null)
            or position(c.preferred_channel in c.channel_list) = 0
        """,
    )
    assert disagreements == 0
    assert one(con, "select count(distinct preferred_channel) from marts.customer_360") >= 3


def test_every_buyer_has_rfm_scores_and_a_segment(con):
    rows = dict(
        con.sql(
            """
            select purchases > 0, count(*) filter (
                where (purchases > 0 and rfm_segment <> 'prospect'
                       and recency_score between 1 and 5 and frequency_score between 1 and 5
                       and monetary_score between 1 and 5)
                   or (purchases = 0 and rfm_segment = 'prospect' and recency_score is null
                       and not is_churn_risk)
            ) = count(*)
            from marts.customer_360 group by 1
            """
        ).fetchall()
    )
    assert rows == {True: True, False: True}
    assert one(con, "select count(distinct rfm_segment) from marts.customer_360") >= 5


def test_revenue_by_acquisition_channel_sums_to_the_360(con):
    mart = con.sql(
        "select sum(customers), sum(buyers), sum(net_revenue_eur) "
        "from marts.revenue_by_acquisition_channel"
    ).fetchone()
    customer_360 = con.sql(
        "select count(*), count(*) filter (where purchases > 0), sum(lifetime_net_revenue_eur) "
        "from marts.customer_360"
    ).fetchone()
    assert mart == customer_360
    channels = (
        "select count(distinct acquisition_channel) from marts.revenue_by_acquisition_channel"
    )
    assert one(con, channels) >= 4


def test_multichannel_value_covers_every_customer_once_per_basis(con):
    customers, revenue = con.sql(
        "select count(*), sum(lifetime_net_revenue_eur) from marts.customer_360"
    ).fetchone()
    bases = con.sql(
        """
        select channel_basis, sum(customers), sum(net_revenue_eur),
            any_value(uplift_over_single_channel) filter (where channel_band = '1')
        from marts.multichannel_value group by 1 order by 1
        """
    ).fetchall()
    assert bases == [
        ("interaction_channels", customers, revenue, 0.0),
        ("purchase_channels", customers, revenue, 0.0),
    ]
    two_channels = one(
        con,
        "select customers from marts.multichannel_value "
        "where multichannel_value_id = 'purchase_channels:2'",
    )
    assert two_channels > 0


def test_channel_journeys_end_with_every_purchase(con):
    purchases = dict(
        con.sql(
            f"""
            select sales_channel, count(*) from marts.fct_orders
            where customer_id is not null and {PURCHASE} group by 1
            """
        ).fetchall()
    )
    ends = dict(
        con.sql(
            "select to_channel, sum(transitions) from marts.channel_journeys "
            "where is_purchase_step group by 1"
        ).fetchall()
    )
    assert ends == purchases
    between = one(
        con,
        "select sum(transitions) from marts.channel_journeys where not is_purchase_step "
        "and from_channel <> to_channel",
    )
    same = one(
        con,
        "select count(*) from marts.channel_journeys where not is_purchase_step "
        "and from_channel = to_channel",
    )
    assert between > 0 and same == 0
