"""Where each delivery lands: every channel's own file-name style and compression.

A delivery is identified by its extract folder and its delivery date; the backfill file of
an extract carries everything delivered up to the backfill date (END_DATE - 14 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FileStyle:
    daily: str  # str.format pattern with {d} (a date)
    backfill: str
    gzip_daily: bool = False
    gzip_backfill: bool = False
    header_only_days: bool = True  # CSV: write a header-only file on days without records


STYLES: dict[str, FileStyle] = {
    "web/events": FileStyle(
        "events.{d:%Y-%m-%d}.jsonl", "events.backfill.{d:%Y-%m-%d}.jsonl", True, True
    ),
    "app/events": FileStyle(
        "app_events_{d:%Y%m%d}.parquet", "app_events_history_{d:%Y%m%d}.parquet"
    ),
    "ecommerce/accounts": FileStyle("accounts_{d:%Y-%m-%d}.csv", "accounts_full_{d:%Y-%m-%d}.csv"),
    "ecommerce/orders": FileStyle("orders_{d:%Y-%m-%d}.csv", "orders_full_{d:%Y-%m-%d}.csv"),
    "ecommerce/order_lines": FileStyle(
        "order_lines_{d:%Y-%m-%d}.csv", "order_lines_full_{d:%Y-%m-%d}.csv", False, True
    ),
    "pos/stores": FileStyle("stores_{d:%Y-%m-%d}.csv", "stores.csv", header_only_days=False),
    "pos/transactions": FileStyle(
        "POS_TX_{d:%Y%m%d}.csv", "POS_TX_HISTORY_{d:%Y%m%d}.csv", True, True
    ),
    "loyalty/members": FileStyle(
        "members-export-{d:%Y-%m-%d}.csv", "members-export-initial-{d:%Y-%m-%d}.csv"
    ),
    "call_center/calls": FileStyle("calls-{d:%Y%m%d}.csv", "calls-archive-{d:%Y%m%d}.csv"),
    "support/tickets": FileStyle(
        "tickets_{d:%Y-%m-%d}T0600.jsonl", "tickets_export_all_{d:%Y-%m-%d}.jsonl", False, True
    ),
    "email/events": FileStyle(
        "esp_events_{d:%Y%m%d}.csv", "esp_events_history_{d:%Y%m%d}.csv", True, True
    ),
    "social/interactions": FileStyle(
        "social-{d:%Y-%m-%d}.jsonl", "social-history-{d:%Y-%m-%d}.jsonl"
    ),
    "direct_mail/sends": FileStyle(
        "mailhouse_report_{d:%Y%m%d}.csv", "mailhouse_report_history.csv"
    ),
    "marketing/campaigns": FileStyle(
        "campaign_plan_{d:%Y-%m-%d}.csv", "campaign_plan.csv", header_only_days=False
    ),
    "marketing/spend": FileStyle("spend_{d:%Y-%m-%d}.csv", "spend_history_{d:%Y-%m-%d}.csv"),
    "finance/fx_rates": FileStyle("fx_rates_{d:%Y%m%d}.csv", "fx_rates_history.csv"),
}


def file_name(folder: str, delivered: date, backfill: bool) -> str:
    style = STYLES[folder]
    if backfill:
        name, gz = style.backfill.format(d=delivered), style.gzip_backfill
    else:
        name, gz = style.daily.format(d=delivered), style.gzip_daily
    return name + ".gz" if gz else name
