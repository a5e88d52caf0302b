"""Raw layer: one suite per extract, on the rows that this run loaded.

The loader already validated each value's form against the contract (dates, amounts,
required values) and kept bad rows aside; these suites check what the contract says about
the content: the columns of the table, keys present and not repeated within a delivery,
enumerations, email formats, ranges, and order totals that add up. Values are compared
trimmed and in lower case, as staging reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import great_expectations.expectations as gxe

from omni.contract import EXTRACTS, Extract
from omni.landing.schema import LINEAGE_COLUMNS
from omni.quality.core import Layer, Rule, Suite

CHECK = "raw_rows"
EMAIL_REGEX = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
CURRENCIES = ("eur", "cad", "usd")


@dataclass(frozen=True)
class RawSpec:
    """What the contract says about an extract's values, beyond the form of each one."""

    value_sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    emails: tuple[str, ...] = ()
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # Copies of one key allowed in one delivery (the web collector retries: twice).
    max_key_copies: int = 1


SPECS: dict[str, RawSpec] = {
    "web/events": RawSpec(
        value_sets={"type": ("page", "track", "identify")}, max_key_copies=2
    ),
    "app/events": RawSpec(
        value_sets={
            "event_name": (
                "app_open", "screen_view", "product_view", "add_to_cart", "purchase",
                "push_received", "push_opened", "login", "sign_up",
            ),
            "platform": ("ios", "android"),
        }
    ),
    "ecommerce/accounts": RawSpec(emails=("email",)),
    "ecommerce/orders": RawSpec(
        value_sets={
            "status": (
                "pending", "paid", "shipped", "delivered", "cancelled", "refunded",
                "partially_refunded",
            ),
            "sales_channel": ("web", "app", "phone"),
            "fulfilment": ("home_delivery", "click_and_collect", "office_delivery"),
            "currency": CURRENCIES,
        },
        emails=("email",),
        ranges={"subtotal": (0, None), "total": (0, None), "refunded_total": (0, None)},
    ),
    "ecommerce/order_lines": RawSpec(
        ranges={"line_number": (1, None), "quantity": (1, None), "unit_price": (0, None)}
    ),
    "pos/stores": RawSpec(value_sets={"currency": CURRENCIES}),
    "pos/transactions": RawSpec(
        value_sets={
            "transaction_type": ("sale", "return"),
            "currency": CURRENCIES,
            "payment_method": ("card", "cash", "gift_card", "mobile"),
        },
        emails=("receipt_email",),
        ranges={"total_amount": (-100_000, 100_000), "item_count": (0, 1_000)},
    ),
    "loyalty/members": RawSpec(
        value_sets={
            "preferred_language": ("fr", "en"),
            "enrolled_channel": ("store", "web", "app", "call_center"),
            "tier": ("bronze", "silver", "gold"),
            "status": ("active", "closed"),
        },
        emails=("email",),
    ),
    "call_center/calls": RawSpec(
        value_sets={
            "direction": ("in", "out"),
            "queue": ("orders", "complaints", "product_info", "loyalty", "telesales"),
            "disposition": (
                "resolved", "escalated", "callback", "sale", "no_answer", "voicemail",
                "abandoned",
            ),
        },
        ranges={"duration_sec": (0, 86_400), "csat": (1, 5)},
    ),
    "support/tickets": RawSpec(
        value_sets={
            "channel": ("email", "web_form", "chat", "social"),
            "status": ("new", "open", "pending", "solved", "closed"),
            "priority": ("low", "normal", "high", "urgent"),
            "type": ("complaint", "question", "return", "incident"),
        }
    ),
    "email/events": RawSpec(
        value_sets={
            "event_type": (
                "sent", "delivered", "opened", "clicked", "bounced", "unsubscribed",
                "complained",
            ),
            "bounce_type": ("hard", "soft"),
        },
        emails=("email",),
    ),
    "social/interactions": RawSpec(
        value_sets={
            "platform": (
                "facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "pinterest",
            ),
            "interaction_type": ("comment", "mention", "direct_message", "review", "share"),
        },
        emails=("linked_email",),
        ranges={"rating": (1, 5)},
    ),
    "direct_mail/sends": RawSpec(value_sets={"piece_type": ("catalog", "postcard", "letter")}),
    "marketing/campaigns": RawSpec(
        value_sets={
            "when_time_of_day": ("morning", "afternoon", "evening", "any"),
            "how_format": (
                "newsletter", "catalog", "push", "post", "video", "call", "in_store",
            ),
            "why_objective": (
                "acquisition", "conversion", "retention", "reactivation", "awareness",
            ),
            "why_kpi": ("revenue", "orders", "new_customers", "engagement_rate"),
            "currency": CURRENCIES,
        },
        ranges={"budget": (0, None)},
    ),
    "marketing/spend": RawSpec(
        value_sets={
            "channel": (
                "paid_search", "paid_social", "display", "affiliate", "tv", "radio", "print",
                "direct_mail", "email", "sms", "push", "telesales",
            ),
            "currency": CURRENCIES,
        },
        ranges={"spend": (0, None), "impressions": (0, None), "clicks": (0, None)},
    ),
    "finance/fx_rates": RawSpec(
        value_sets={"currency": CURRENCIES}, ranges={"rate_to_eur": (0.01, 100)}
    ),
}  # fmt: skip

# The contract's formula for an online order's total.
ORDER_TOTAL_GAP = (
    "cast(total as decimal(18, 2)) - (cast(subtotal as decimal(18, 2)) "
    "- cast(discount_total as decimal(18, 2)) + cast(shipping_total as decimal(18, 2)) "
    "+ cast(tax_total as decimal(18, 2)))"
)


def _key_identity(extract: Extract) -> list[str]:
    """What makes a row one version of one record: its key, and `updated_at` if it has one."""
    key = [f'"{c}"' for c in extract.key]
    if "updated_at" in extract.column_names:
        key.append("updated_at")
    return key


def _query(extract: Extract, spec: RawSpec) -> str:
    computed = [
        f"count(*) over (partition by _load_id, {', '.join(_key_identity(extract))}) as key_copies"
    ]
    computed += [f'lower(trim("{c}")) as "{c}__value"' for c in spec.value_sets]
    computed += [f'nullif(trim("{c}"), \'\') as "{c}__email"' for c in spec.emails]
    computed += [f'try_cast("{c}" as double) as "{c}__number"' for c in spec.ranges]
    if extract.folder == "ecommerce/orders":
        computed.append(f"{ORDER_TOTAL_GAP} as total_gap")
    return (
        f"select *, {', '.join(computed)}\n"
        f"from raw.{extract.table}\n"
        "where _load_id in (select load_id from audit.load_log "
        f"where run_id = $run_id and extract = '{extract.folder}')"
    )


def _rules(extract: Extract, spec: RawSpec) -> list[Rule]:
    columns = [*extract.column_names, *(name for name, _ in LINEAGE_COLUMNS)]
    rules = [
        Rule(
            gxe.ExpectTableColumnsToMatchSet(column_set=columns, exact_match=False),
            "Every column of the contract is in the raw table (staging reads them all).",
            blocking=True,
        ),
        *(
            Rule(
                gxe.ExpectColumnValuesToNotBeNull(column=c),
                f"`{c}` identifies the record: without it staging cannot deduplicate.",
                blocking=True,
            )
            for c in extract.key
            if not extract.columns[extract.column_names.index(c)].nullable
        ),
        Rule(
            gxe.ExpectColumnValuesToBeBetween(
                column="key_copies", min_value=1, max_value=spec.max_key_copies
            ),
            f"A delivery holds one row per version of a record ({', '.join(extract.key)}"
            f"{', updated_at' if 'updated_at' in extract.column_names else ''}); "
            f"at most {spec.max_key_copies} cop{'ies' if spec.max_key_copies > 1 else 'y'}.",
            blocking=True,
        ),
    ]
    rules += [
        Rule(
            gxe.ExpectColumnValuesToBeInSet(column=f"{c}__value", value_set=list(values)),
            f"`{c}` takes only the values the contract lists (any case).",
        )
        for c, values in spec.value_sets.items()
    ]
    rules += [
        Rule(
            gxe.ExpectColumnValuesToMatchRegex(column=f"{c}__email", regex=EMAIL_REGEX),
            f"`{c}` is an email (one @, a dotted domain, no space once trimmed).",
        )
        for c in spec.emails
    ]
    rules += [
        Rule(
            gxe.ExpectColumnValuesToBeBetween(column=f"{c}__number", min_value=lo, max_value=hi),
            f"`{c}` lies in its plausible range [{lo}, {hi}].",
        )
        for c, (lo, hi) in spec.ranges.items()
    ]
    if extract.folder == "ecommerce/orders":
        rules.append(
            Rule(
                gxe.ExpectColumnValuesToBeBetween(
                    column="total_gap", min_value=-0.005, max_value=0.005
                ),
                "Revenue reconciles on each order: total = subtotal - discount + shipping + tax.",
                blocking=True,
            )
        )
    return rules


def raw_suite(extract: Extract) -> Suite:
    spec = SPECS[extract.folder]
    return Suite(
        asset=("raw", extract.table),
        check=CHECK,
        query=_query(extract, spec),
        rules=tuple(_rules(extract, spec)),
        description=(
            f"The rows of `raw.{extract.table}` that this run loaded: columns, keys, "
            "enumerations, formats and ranges of the landing contract."
        ),
        index_columns=("_source_file", "_source_line"),
    )


SUITES: tuple[Suite, ...] = tuple(raw_suite(e) for e in EXTRACTS)
LAYER = Layer("raw", SUITES)
