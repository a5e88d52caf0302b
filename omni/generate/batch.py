"""The records one customer chunk produces, grouped by the delivery that will carry them."""

from __future__ import annotations

from typing import Any

# Extracts whose records map to a person in record_persons.parquet, with their id column.
RECORD_ID_COLUMN: dict[str, str] = {
    "web/events": "message_id",
    "app/events": "event_id",
    "ecommerce/orders": "order_id",
    "pos/transactions": "receipt_id",
    "ecommerce/accounts": "account_id",
    "loyalty/members": "member_id",
    "call_center/calls": "call_id",
    "support/tickets": "id",
    "email/events": "event_id",
    "social/interactions": "id",
    "direct_mail/sends": "mailing_id",
}


class Batch:
    """Rows by (extract folder, delivery day index), with the person behind each row.

    A delivery day after the last day is dropped (not delivered yet); any day up to the
    backfill day is carried by the backfill file.
    """

    def __init__(self, last_day: int, backfill_day: int) -> None:
        self.last_day = last_day
        self.backfill_day = backfill_day
        self.rows: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.persons: dict[tuple[str, int], list[str | None]] = {}

    def add(self, folder: str, day: int, row: dict[str, Any], person: str | None = None) -> None:
        if day > self.last_day:
            return
        key = (folder, max(day, self.backfill_day))
        rows = self.rows.get(key)
        if rows is None:
            rows = self.rows[key] = []
            self.persons[key] = []
        rows.append(row)
        self.persons[key].append(person)
