"""The marts on the generated sample: revenue against the truth, the timeline, attribution."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.integration

ATTRIBUTION_MODELS = {"first_touch", "last_touch", "linear", "position_based", "time_decay"}


@pytest.fixture(scope="module")
def con(built_sample):
    summary, warehouse, _ = built_sample
    assert summary.ok, str(summary)
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def test_revenue_per_sales_channel_equals_the_truth_to_the_cent(con, sample_truth: Path):
    with (sample_truth / "revenue_by_sales_channel.csv").open(newline="") as handle:
        truth = {r["sales_channel"]: r for r in csv.DictReader(handle)}
    marts = {
        channel: (sales, revenue)
        for channel, sales, revenue in con.sql(
            "select sales_channel, count(*), sum(net_revenue_eur) from marts.fct_orders group by 1"
        ).fetchall()
    }
    assert set(marts) == set(truth) == {"web", "app", "phone", "store"}
    for channel, row in truth.items():
        assert marts[channel] == (int(row["sales"]), Decimal(row["net_revenue_eur"])), channel


def test_attributed_revenue_equals_net_revenue_for_every_model(con):
    total = con.sql("select sum(net_revenue_eur) from marts.fct_orders").fetchone()[0]
    per_model = dict(
        con.sql(
            "select attribution_model, sum(attributed_revenue_eur) from marts.channel_attribution "
            "group by 1"
        ).fetchall()
    )
    assert set(per_model) == ATTRIBUTION_MODELS
    for model, revenue in per_model.items():
        assert abs(Decimal(str(revenue)) - total) < Decimal("0.01"), model
    worst = con.sql(
        "select max(abs(s - 1)) from (select sum(credit) s from marts.channel_attribution "
        "group by order_key, attribution_model)"
    ).fetchone()[0]
    assert worst < 1e-9
    offline = {
        c
        for (c,) in con.sql(
            "select distinct marketing_channel from marts.channel_attribution where touches > 0"
        ).fetchall()
    }
    assert {"direct_mail", "telesales", "push", "email"} <= offline


def test_the_timeline_holds_every_interaction_once(con):
    staged = {
        "web": "stg_web__events",
        "app": "stg_app__events",
        "ecommerce": "stg_ecommerce__orders",
        "pos": "stg_pos__transactions",
        "call_center": "stg_call_center__calls",
        "support": "stg_support__tickets",
        "email": "stg_email__events",
        "social": "stg_social__interactions",
        "direct_mail": "stg_direct_mail__sends",
    }
    counts = dict(
        con.sql("select source, count(*) from marts.fct_interactions group by 1").fetchall()
    )
    for source, view in staged.items():
        expected = con.sql(f"select count(*) from staging.{view}").fetchone()[0]
        assert counts[source] == expected, source


def test_only_never_identified_visitors_lack_a_customer(con):
    rows = con.sql(
        """
        select source, count(*) filter (where customer_id is null)
        from marts.fct_interactions
        where not is_bot
        group by 1
        """
    ).fetchall()
    missing = dict(rows)
    # every online order carries an email: always identified
    assert missing["ecommerce"] == 0
    assert missing["email"] == 0
    # a missing customer is a bot, an anonymous visitor, or a record without identifier
    anonymous_customers = con.sql(
        """
        select count(*)
        from marts.fct_interactions as i
        join marts.dim_customers as c using (customer_id)
        where c.is_anonymous
        """
    ).fetchone()[0]
    assert anonymous_customers == 0
    bots_with_customer = con.sql(
        "select count(*) from marts.fct_interactions where is_bot and customer_id is not null"
    ).fetchone()[0]
    assert bots_with_customer == 0


def test_channel_revenue_daily_counts_each_customer_new_once(con):
    new, buyers = con.sql(
        """
        select
            (select sum(new_customers) from marts.channel_revenue_daily),
            (select count(*) from marts.customer_360 where first_purchase_at is not null)
        """
    ).fetchone()
    assert new == buyers > 0


def test_campaign_performance_covers_the_plan(con):
    planned, measured, reached = con.sql(
        """
        select
            (select count(*) from staging.stg_marketing__campaigns),
            (select count(*) from marts.campaign_performance),
            (select count(*) from marts.campaign_performance where customers_reached > 0)
        """
    ).fetchone()
    assert planned == measured
    assert reached > 0
