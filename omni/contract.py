"""The landing contract (../shared/landing-contract.md) as data.

One `Extract` per folder `<source>/<extract>/` of the landing zone, with its file format
and its columns in file order. The loader validates deliveries against it and the sample
generator writes deliveries from it, so the two cannot drift apart.

Column kinds (what a well-formed value looks like, checked at load time):

- ``text``: any string.
- ``int``: an integer, optionally signed.
- ``money``: a decimal with a ``.`` and at most two decimals (``12.50``, ``-3``).
- ``number``: a decimal number with a ``.`` (FX rates, targets).
- ``bool``: ``true`` or ``false``.
- ``date``: ``YYYY-MM-DD``, a real calendar date.
- ``timestamptz``: ISO-8601 with an offset or ``Z``.
- ``local_timestamp``: ``YYYY-MM-DD HH:MM:SS``, no offset.
- ``dmy_timestamp``: ``DD/MM/YYYY HH:MM:SS``, no offset.
- ``json``: a nested JSON value (object or array), JSON Lines only.
- ``epoch_micros``: int64 microseconds since the Unix epoch (Parquet only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "text",
    "int",
    "money",
    "number",
    "bool",
    "date",
    "timestamptz",
    "local_timestamp",
    "dmy_timestamp",
    "json",
    "epoch_micros",
]
FileFormat = Literal["csv", "jsonl", "parquet"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"
    nullable: bool = False


@dataclass(frozen=True)
class Extract:
    source: str
    name: str
    file_format: FileFormat
    columns: tuple[Column, ...]
    description: str
    delimiter: str = ","
    encoding: str = "utf-8"
    key: tuple[str, ...] = field(default=())

    @property
    def folder(self) -> str:
        return f"{self.source}/{self.name}"

    @property
    def table(self) -> str:
        """Name of the raw table, in schema ``raw``."""
        return f"{self.source}__{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _cols(spec: str) -> tuple[Column, ...]:
    """Parse a compact column spec: ``name:kind?`` separated by spaces; ``?`` = nullable."""
    columns = []
    for token in spec.split():
        name, _, kind = token.partition(":")
        nullable = kind.endswith("?") or (not kind and name.endswith("?"))
        kind = kind.rstrip("?") or "text"
        columns.append(Column(name.rstrip("?"), kind, nullable))  # type: ignore[arg-type]
    return tuple(columns)


EXTRACTS: tuple[Extract, ...] = (
    Extract(
        "web",
        "events",
        "jsonl",
        _cols(
            "message_id type event? anonymous_id user_id? timestamp:timestamptz "
            "received_at:timestamptz context:json? traits:json? properties:json?"
        ),
        "Website events from the Segment-style collector (page, track, identify).",
        key=("message_id",),
    ),
    Extract(
        "app",
        "events",
        "parquet",
        _cols(
            "event_id event_name event_timestamp:epoch_micros device_id platform "
            "app_version user_id? order_id? campaign_id? params?"
        ),
        "Mobile app analytics export, one event per row.",
        key=("event_id",),
    ),
    Extract(
        "ecommerce",
        "accounts",
        "csv",
        _cols(
            "account_id email phone? first_name last_name address_line1? postcode? city? "
            "country? accepts_marketing:bool created_at:timestamptz updated_at:timestamptz"
        ),
        "The online store's customer accounts.",
        key=("account_id",),
    ),
    Extract(
        "ecommerce",
        "orders",
        "csv",
        _cols(
            "order_id account_id? email phone? first_name last_name ship_address_line1 "
            "ship_postcode ship_city ship_country created_at:timestamptz "
            "updated_at:timestamptz status sales_channel fulfilment pickup_store_id? "
            "currency subtotal:money discount_total:money shipping_total:money "
            "tax_total:money total:money refunded_total:money promo_code?"
        ),
        "Online orders (web, app and phone); an order comes again at each status change.",
        key=("order_id",),
    ),
    Extract(
        "ecommerce",
        "order_lines",
        "csv",
        _cols(
            "order_id line_number:int sku product_name category quantity:int "
            "unit_price:money line_total:money"
        ),
        "The lines of online orders.",
        key=("order_id", "line_number"),
    ),
    Extract(
        "pos",
        "stores",
        "csv",
        _cols("store_id store_name city country timezone currency opened_on:date"),
        "Reference list of stores with their IANA time zone.",
        key=("store_id",),
    ),
    Extract(
        "pos",
        "transactions",
        "csv",
        _cols(
            "receipt_id store_id register_id transaction_local_time:local_timestamp "
            "transaction_type loyalty_card? receipt_email? phone? currency "
            "total_amount:money item_count:int payment_method original_receipt_id? "
            "promo_code?"
        ),
        "Store till receipts (sales and returns) in the store's local time.",
        key=("receipt_id",),
    ),
    Extract(
        "loyalty",
        "members",
        "csv",
        _cols(
            "member_id card_number account_id? email? phone? first_name last_name "
            "birth_date:date? address_line1 postcode city country preferred_language "
            "email_opt_in:bool sms_opt_in:bool mail_opt_in:bool enrolled_at:timestamptz "
            "enrolled_channel enrolled_store_id? tier status updated_at:timestamptz"
        ),
        "The loyalty programme's CRM, one row per member version.",
        key=("member_id",),
    ),
    Extract(
        "call_center",
        "calls",
        "csv",
        _cols(
            "call_id direction caller_number? called_number? started_at:dmy_timestamp "
            "duration_sec:int queue disposition member_id? order_ref? agent_id "
            "campaign_id? csat:int? notes?"
        ),
        "Contact-centre calls from the legacy telephony export (Windows-1252, `;`, "
        "America/Toronto local time).",
        delimiter=";",
        encoding="cp1252",
        key=("call_id",),
    ),
    Extract(
        "support",
        "tickets",
        "jsonl",
        _cols(
            "id:int created_at:timestamptz updated_at:timestamptz channel status priority "
            "type subject requester:json order_ref? satisfaction:json tags:json"
        ),
        "Help-desk tickets, one line per ticket version.",
        key=("id",),
    ),
    Extract(
        "email",
        "events",
        "csv",
        _cols(
            "event_id campaign_id subscriber_id email event_type occurred_at:int url? bounce_type?"
        ),
        "Email service provider events (sent, delivered, opened, clicked...).",
        key=("event_id",),
    ),
    Extract(
        "social",
        "interactions",
        "jsonl",
        _cols(
            "id platform handle interaction_type text created_at:timestamptz "
            "campaign_id? rating:int? linked_email? linked_order_ref?"
        ),
        "Social-care tool export: comments, mentions, messages, reviews, shares.",
        key=("id",),
    ),
    Extract(
        "direct_mail",
        "sends",
        "csv",
        _cols(
            "mailing_id campaign_id recipient_name address_line1 postcode city country "
            "sent_on:date piece_type promo_code"
        ),
        "Mailing-house report of the pieces sent, each with its own promo code.",
        key=("mailing_id",),
    ),
    Extract(
        "marketing",
        "campaigns",
        "csv",
        _cols(
            "campaign_id name what_message who_segment where_channels when_start:date "
            "when_end:date when_time_of_day how_format why_objective why_kpi "
            "target_value:number budget:money currency"
        ),
        "The campaign plan: what, who, where, when, how and why of each campaign.",
        key=("campaign_id",),
    ),
    Extract(
        "marketing",
        "spend",
        "csv",
        _cols(
            "spend_date:date channel campaign_id? currency spend:money impressions:int? clicks:int?"
        ),
        "Daily media and channel spend.",
        key=("spend_date", "channel", "campaign_id"),
    ),
    Extract(
        "finance",
        "fx_rates",
        "csv",
        _cols("rate_date:date currency rate_to_eur:number"),
        "Daily FX rates to EUR; weekends and holidays have no row.",
        key=("rate_date", "currency"),
    ),
)

BY_FOLDER: dict[str, Extract] = {e.folder: e for e in EXTRACTS}

# Files in an extract folder that are not deliveries.
IGNORED_NAMES = frozenset({".DS_Store", "README.txt", "Thumbs.db"})
IGNORED_SUFFIXES = (".tmp", ".part")


def is_delivery(file_name: str) -> bool:
    """True for a file that belongs to an extract (not a system file or partial upload)."""
    if file_name in IGNORED_NAMES or file_name.startswith("."):
        return False
    return not file_name.endswith(IGNORED_SUFFIXES)
