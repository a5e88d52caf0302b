"""The truth beside the landing zone: who is behind each record, revenue, defects, manifest.

Built from what was actually written (so it respects hold_back), streamed chunk by chunk.
"""

from __future__ import annotations

import bisect
import csv
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from omni.generate.people import Person

if TYPE_CHECKING:
    from omni.generate.sink import FileRecord

_RECORDS = pa.schema(
    [
        ("source", pa.string()),
        ("extract", pa.string()),
        ("record_id", pa.string()),
        ("person_id", pa.string()),
    ]
)
_PERSONS = pa.schema(
    [
        ("person_id", pa.string()),
        ("household_id", pa.string()),
        ("country", pa.string()),
        ("market", pa.string()),
        ("first_name", pa.string()),
        ("last_name", pa.string()),
        ("birth_date", pa.string()),
        ("emails", pa.list_(pa.string())),
        ("mobiles", pa.list_(pa.string())),
        ("landline", pa.string()),
        ("segment", pa.string()),
        ("account_id", pa.string()),
        ("member_id", pa.string()),
        ("card_number", pa.string()),
        ("anonymous_ids", pa.list_(pa.string())),
        ("device_ids", pa.list_(pa.string())),
    ]
)
_CENT = Decimal("0.01")
SALES_CHANNELS = ("web", "app", "phone", "store")


def truth_dir_for(out: Path) -> Path:
    """The truth folder of a landing zone: beside it, never inside it."""
    return out.with_name(out.name + "_truth")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class FxTable:
    """finance/fx_rates as delivered: the rate of a day, or the last earlier one."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rates: dict[str, tuple[list[str], list[Decimal]]] = {}
        for on, currency, rate in sorted(rows):
            dates, values = self.rates.setdefault(currency, ([], []))
            dates.append(on)
            values.append(Decimal(rate))

    def rate(self, currency: str, on: str) -> Decimal:
        if currency == "EUR":
            return Decimal(1)
        dates, values = self.rates[currency]
        i = bisect.bisect_right(dates, on)
        if i == 0:
            raise ValueError(f"no {currency} rate on or before {on}")
        return values[i - 1]


class Revenue:
    """Sales and net revenue in EUR per sales channel, from the written rows of a chunk.

    An order counts once, with its latest version (latest updated_at, then the later
    delivery); its net is total - refunded_total, 0 when cancelled or pending. A receipt's
    net is its total_amount. Each sale is converted at the rate of its day, rounded half
    away from zero to the cent.
    """

    def __init__(self, fx: FxTable) -> None:
        self.fx = fx
        self.totals = {c: [0, Decimal("0.00")] for c in SALES_CHANNELS}
        self._latest: dict[str, tuple[datetime, int, int, dict[str, Any]]] = {}
        self._seq = 0

    def add(self, folder: str, day: int, rows: list[dict[str, Any]]) -> None:
        if folder == "pos/transactions":
            for row in rows:
                on = row["transaction_local_time"][:10]
                self._book("store", Decimal(row["total_amount"]), row["currency"], on)
            return
        latest = self._latest
        for row in rows:
            self._seq += 1
            key = (_instant(row["updated_at"]), day, self._seq, row)
            best = latest.get(row["order_id"])
            if best is None or key[:3] > best[:3]:
                latest[row["order_id"]] = key

    def close_chunk(self) -> None:
        """Book the orders (all versions of an order are generated in one chunk)."""
        for _, _, _, row in self._latest.values():
            net = Decimal(row["total"]) - Decimal(row["refunded_total"])
            if row["status"] in ("cancelled", "pending"):
                net = Decimal("0.00")
            created = _instant(row["created_at"]).date().isoformat()
            self._book(row["sales_channel"], net, row["currency"], created)
        self._latest = {}

    def _book(self, channel: str, net: Decimal, currency: str, on: str) -> None:
        eur = (net * self.fx.rate(currency, on)).quantize(_CENT, rounding=ROUND_HALF_UP)
        slot = self.totals[channel]
        slot[0] += 1
        slot[1] += eur


def records_table(records: list[tuple[str, str, str | None]]) -> pa.Table:
    """record_persons rows: (source/extract, record id, person id)."""
    if not records:
        return _RECORDS.empty_table()
    folders, record_ids, persons = zip(*records, strict=True)
    sources, extracts = zip(*(f.split("/") for f in folders), strict=True)
    columns = (sources, extracts, record_ids, persons)
    return pa.table(dict(zip(_RECORDS.names, map(list, columns), strict=True)), schema=_RECORDS)


def persons_table(people: Iterable[Person]) -> pa.Table:
    rows = [
        {
            "person_id": p.person_id,
            "household_id": p.household_id,
            "country": p.country,
            "market": p.market,
            "first_name": p.first,
            "last_name": p.last,
            "birth_date": p.birth,
            "emails": p.emails,
            "mobiles": p.mobiles,
            "landline": p.landline,
            "segment": p.segment,
            "account_id": p.account_id if p.has_account else None,
            "member_id": p.member_id if p.member else None,
            "card_number": p.card if p.member else None,
            "anonymous_ids": [c for c, _ in p.cookies],
            "device_ids": [d[0] for d in p.devices],
        }
        for p in people
    ]
    return pa.Table.from_pylist(rows, schema=_PERSONS)


class Truth:
    """The truth files, written as chunks arrive."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.dir = directory
        self._records = pq.ParquetWriter(directory / "record_persons.parquet", _RECORDS)
        self._persons = pq.ParquetWriter(directory / "persons.parquet", _PERSONS)
        self.revenue = {c: [0, Decimal("0.00")] for c in SALES_CHANNELS}
        self.persons = 0

    def add_chunk(self, records: pa.Table, revenue: Revenue) -> None:
        if records.num_rows:
            self._records.write_table(records)
        for channel, (count, eur) in revenue.totals.items():
            self.revenue[channel][0] += count
            self.revenue[channel][1] += eur

    def add_persons(self, table: pa.Table) -> None:
        self.persons += table.num_rows
        self._persons.write_table(table)

    # --- final files ---------------------------------------------------------------------
    def finish(self, files: list[FileRecord], manifest: dict[str, Any]) -> None:
        self._records.close()
        self._persons.close()
        with (self.dir / "revenue_by_sales_channel.csv").open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["sales_channel", "sales", "net_revenue_eur"])
            for channel, (count, eur) in self.revenue.items():
                w.writerow([channel, count, f"{eur:.2f}"])
        with (self.dir / "files.csv").open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["path", "extract", "rows_written", "rows_bad", "defect"])
            for r in sorted(files, key=lambda r: r.path):
                w.writerow([r.path, r.extract, r.rows_written, r.rows_bad, r.defect])
        with (self.dir / "bad_rows.csv").open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["path", "line", "defect"])
            for r in sorted(files, key=lambda r: r.path):
                for line, defect in sorted(r.bad_lines):
                    w.writerow([r.path, line, defect])
        (self.dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
