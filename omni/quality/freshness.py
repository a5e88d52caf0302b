"""Freshness: the age of each source's newest record against the cadence it delivers at.

Ages are measured from the warehouse's horizon, the newest record of any source (trusted
clocks only: the web collector's `received_at`, not the device clock), not from the wall
clock, so that a landing zone replayed later, or the sample, is judged on its own time: a
source that stopped delivering falls behind the others. A stale source blocks what is built
from it. Aggregates in DuckDB (one max per table), computed once per run in `PREPARE`.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe

from omni.contract import BY_FOLDER
from omni.quality.core import Layer, Rule, Suite

CHECK = "freshness"


@dataclass(frozen=True)
class Cadence:
    newest: str  # SQL: the business time of a raw row, as a timestamp
    # How far behind the horizon the newest record may be: the delivery cadence, plus room
    # for sparse sources (a few hundred customers write a ticket every few weeks).
    max_age_days: int


CADENCES: dict[str, Cadence] = {
    "web/events": Cadence("try_cast(received_at as timestamptz)::timestamp", 2),
    "app/events": Cadence("make_timestamp(event_timestamp)", 2),
    "ecommerce/accounts": Cadence("try_cast(updated_at as timestamptz)::timestamp", 7),
    "ecommerce/orders": Cadence("try_cast(updated_at as timestamptz)::timestamp", 3),
    "pos/transactions": Cadence("try_strptime(transaction_local_time, '%Y-%m-%d %H:%M:%S')", 3),
    "loyalty/members": Cadence("try_cast(updated_at as timestamptz)::timestamp", 14),
    "call_center/calls": Cadence("try_strptime(started_at, '%d/%m/%Y %H:%M:%S')", 21),
    "support/tickets": Cadence("try_cast(updated_at as timestamptz)::timestamp", 30),
    "email/events": Cadence("to_timestamp(try_cast(occurred_at as bigint))::timestamp", 14),
    "social/interactions": Cadence("try_cast(created_at as timestamptz)::timestamp", 30),
    "marketing/spend": Cadence("try_cast(spend_date as date)::timestamp", 4),
    "finance/fx_rates": Cadence("try_cast(rate_date as date)::timestamp", 5),
}
# Not judged: reference lists (stores, the campaign plan) change when the business does,
# order lines have no time of their own (their orders are judged), mailings go in waves.

PREPARE = (
    "create or replace temp table quality_freshness as\n"
    "with newest as (\n    "
    + "\n    union all\n    ".join(
        f"select '{folder}' as extract, max({c.newest}) as newest_at, {c.max_age_days} "
        f"as max_age_days from raw.{BY_FOLDER[folder].table}"
        for folder, c in CADENCES.items()
    )
    + "\n)\n"
    "select *, max(newest_at) over () as horizon_at,\n"
    "    date_diff('hour', newest_at, max(newest_at) over ()) / 24.0 as age_days\n"
    "from newest"
)


def freshness_suite(folder: str) -> Suite:
    extract = BY_FOLDER[folder]
    cadence = CADENCES[folder]
    return Suite(
        asset=("raw", extract.table),
        check=CHECK,
        query=f"select * from quality_freshness where extract = '{folder}'",
        rules=(
            Rule(
                gxe.ExpectColumnValuesToNotBeNull(column="newest_at"),
                "The source has delivered at least one record.",
                blocking=True,
            ),
            Rule(
                gxe.ExpectColumnValuesToBeBetween(
                    column="age_days", max_value=cadence.max_age_days
                ),
                f"`{folder}` delivers at least every {cadence.max_age_days} days: an older "
                "newest record means the source stopped delivering.",
                blocking=True,
            ),
        ),
        description=(
            f"Age of the newest record of `raw.{extract.table}` against the newest record "
            "of any source."
        ),
        index_columns=("extract", "newest_at", "horizon_at"),
    )


SUITES: tuple[Suite, ...] = tuple(freshness_suite(folder) for folder in CADENCES)
LAYER = Layer("freshness", SUITES, PREPARE)
