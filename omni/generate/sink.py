"""From a chunk's batch to the landing zone.

`render` (in a worker) decides, from the chunk's own RNG and whatever is held back, which
rows get a corrupted copy (what each copy looks like comes from an RNG of its file and
chunk), serialises the files delivered up to the cut-off, and collects
the chunk's truth (records, persons, revenue). `Sink` (in the main process) appends the
parts to one open file per delivery, in chunk order, and keeps the per-file truth.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from omni.contract import BY_FOLDER, EXTRACTS
from omni.generate import badrows
from omni.generate.batch import RECORD_ID_COLUMN, Batch
from omni.generate.calendar import Timeline
from omni.generate.layout import STYLES, file_name
from omni.generate.truth import FxTable, Revenue, Truth, records_table
from omni.generate.writers import (
    BytesWriter,
    CsvLines,
    ParquetWriter,
    csv_header,
    jsonl,
    parquet_schema,
)

_ORDER = {e.folder: i for i, e in enumerate(EXTRACTS)}
_NO_RANDOM_BAD_ROWS = {"pos/stores", "marketing/campaigns", "marketing/spend", "finance/fx_rates"}
# One bad row of each kind is forced into the backfill of these extracts: the reference
# batch carries the first, chunk 0 the others.
FORCED_BAD_ROWS = {
    "bad_date": "marketing/spend",
    "bad_amount": "ecommerce/orders",
    "bad_integer": "ecommerce/order_lines",
    "missing_required": "pos/transactions",
    "too_few_fields": "ecommerce/accounts",
    "too_many_fields": "email/events",
    "invalid_json": "web/events",
}
CORRECTED_DAYS_BEFORE_END = 3  # ecommerce/orders of end-3: first wrong, corrected with end-2
_MONEY = ("subtotal", "discount_total", "shipping_total", "tax_total", "total")


@dataclass
class Part:
    """The rows of one chunk for one delivered file."""

    folder: str
    day: int
    data: bytes | pa.Table
    lines: int
    bad: list[tuple[int, str]]  # (line within the part, from 1; defect)


@dataclass
class ChunkOutput:
    parts: list[Part]
    records: pa.Table
    revenue: Revenue


@dataclass(frozen=True)
class RenderSettings:
    seed: int
    timeline: Timeline
    hold_back: int
    fx: FxTable

    @property
    def cutoff(self) -> int:
        """The last delivery day written."""
        return self.timeline.days - 1 - self.hold_back


def render(batch: Batch, chunk: int, settings: RenderSettings) -> ChunkOutput:
    """Serialise a chunk's batch (see the module docstring)."""
    tl = settings.timeline
    rng = random.Random(f"{settings.seed}:bad-rows:{chunk}")
    forced = {k: v for k, v in FORCED_BAD_ROWS.items() if (v == "marketing/spend") == (chunk < 0)}
    if chunk > 0:
        forced = {}
    parts: list[Part] = []
    records: list[tuple[str, str, str | None]] = []
    seen: set[tuple[str, str]] = set()
    revenue = Revenue(settings.fx)
    corrected_day = tl.days - 1 - CORRECTED_DAYS_BEFORE_END
    for folder, day in sorted(batch.rows, key=lambda k: (_ORDER[k[0]], k[1])):
        rows, persons = batch.rows[(folder, day)], batch.persons[(folder, day)]
        decisions = _decide(rng, forced, folder, len(rows), day == tl.backfill_day)
        if day > settings.cutoff:
            continue
        if (
            folder == "ecommerce/orders"
            and day == corrected_day
            and settings.hold_back >= CORRECTED_DAYS_BEFORE_END
        ):
            rows = [_wrong_amounts(row) for row in rows]
        # the corrupted copies of each file from its own RNG: holding a day back (its files'
        # bad rows not drawn) changes nothing in the files still delivered
        corrupting = random.Random(f"{settings.seed}:corrupt:{chunk}:{folder}:{day}")
        parts.append(_serialise(corrupting, folder, day, rows, decisions))
        id_column = RECORD_ID_COLUMN.get(folder)
        if id_column is not None:
            for row, person in zip(rows, persons, strict=True):
                key = (folder, str(row[id_column]))
                if key not in seen:
                    seen.add(key)
                    records.append((folder, key[1], person))
        if folder in ("ecommerce/orders", "pos/transactions"):
            revenue.add(folder, day, rows)
    revenue.close_chunk()
    return ChunkOutput(parts, records_table(records), revenue)


def _decide(
    rng: random.Random, forced: dict[str, str], folder: str, n: int, backfill: bool
) -> dict[int, str]:
    """Which rows get a corrupted copy, and of what kind (independent of the cut-off)."""
    extract = BY_FOLDER[folder]
    out: dict[int, str] = {}
    if backfill and n:
        for kind, target in list(forced.items()):
            if target == folder:
                out[0] = kind
                del forced[kind]
    if folder in _NO_RANDOM_BAD_ROWS or extract.file_format == "parquet":
        return out
    rate = badrows.RATE
    kinds = [k for k in badrows.CSV_KINDS if badrows.applicable(extract, k)]
    for i in range(n):
        if rng.random() < rate and i not in out:
            out[i] = "invalid_json" if extract.file_format == "jsonl" else rng.choice(kinds)
    return out


def _serialise(
    rng: random.Random,
    folder: str,
    day: int,
    rows: list[dict[str, Any]],
    decisions: dict[int, str],
) -> Part:
    extract = BY_FOLDER[folder]
    bad: list[tuple[int, str]] = []
    if extract.file_format == "parquet":
        table = pa.Table.from_pylist(rows, schema=parquet_schema(extract))
        return Part(folder, day, table, len(rows), bad)
    if extract.file_format == "jsonl":
        records: list[dict[str, Any] | bytes] = []
        for i, row in enumerate(rows):
            records.append(row)
            if i in decisions:
                records.append(badrows.invalid_json(row))
                bad.append((len(records), decisions[i]))
        return Part(folder, day, jsonl(records), len(records), bad)
    lines = CsvLines(extract)
    names = extract.column_names
    count = 0
    for i, row in enumerate(rows):
        fields = [row[c] for c in names]
        lines.write(fields)
        count += 1
        if i in decisions:
            lines.write(badrows.corrupt_csv(rng, extract, fields, decisions[i]))
            count += 1
            bad.append((count, decisions[i]))
    return Part(folder, day, lines.getvalue(), count, bad)


def _wrong_amounts(row: dict[str, Any]) -> dict[str, Any]:
    """The first delivery of the corrected file: one order in three has its amounts x10."""
    if zlib.crc32(row["order_id"].encode()) % 3:
        return row
    wrong = dict(row)
    for column in _MONEY:
        cents = int(row[column].replace(".", "")) * 10
        wrong[column] = f"{cents // 100}.{cents % 100:02d}"
    return wrong


@dataclass
class FileRecord:
    """What the truth says about one written file."""

    path: str  # relative to the landing root
    extract: str  # source/extract, empty for ignored files
    rows_written: int = 0
    rows_bad: int = 0
    defect: str = ""
    bad_lines: list[tuple[int, str]] = field(default_factory=list)


class Sink:
    """The open files of the landing zone and what was written to each."""

    def __init__(self, out: Path, settings: RenderSettings, truth: Truth) -> None:
        self.out, self.settings, self.truth = out, settings, truth
        self.timeline = settings.timeline
        self.cutoff = settings.cutoff
        self.writers: dict[str, BytesWriter | ParquetWriter] = {}
        self.files: dict[str, FileRecord] = {}

    def path_for(self, folder: str, day: int) -> str:
        delivered = self.timeline.date(day)
        return f"{folder}/{file_name(folder, delivered, day <= self.timeline.backfill_day)}"

    def _writer(self, folder: str, rel: str) -> BytesWriter | ParquetWriter:
        writer = self.writers.get(rel)
        if writer is None:
            extract = BY_FOLDER[folder]
            path = self.out / rel
            if extract.file_format == "parquet":
                writer = ParquetWriter(path, parquet_schema(extract))
            else:
                header = csv_header(extract) if extract.file_format == "csv" else b""
                writer = BytesWriter(path, rel.endswith(".gz"), header)
            self.writers[rel] = writer
            self.files[rel] = FileRecord(rel, folder)
        return writer

    def write(self, output: ChunkOutput) -> None:
        for part in output.parts:
            rel = self.path_for(part.folder, part.day)
            writer = self._writer(part.folder, rel)
            record = self.files[rel]
            offset = writer.lines + (1 if BY_FOLDER[part.folder].file_format == "csv" else 0)
            writer.write(part.data, part.lines)  # type: ignore[arg-type]
            record.bad_lines += [(offset + line, kind) for line, kind in part.bad]
            record.rows_bad += len(part.bad)
        self.truth.add_chunk(output.records, output.revenue)

    def close(self) -> None:
        """Close every writer; write header-only CSV files for delivery days without rows."""
        for folder, style in STYLES.items():
            extract = BY_FOLDER[folder]
            if extract.file_format != "csv" or not style.header_only_days:
                continue
            for day in range(self.timeline.backfill_day, self.cutoff + 1):
                self._writer(folder, self.path_for(folder, day))
        for rel, writer in self.writers.items():
            writer.close()
            self.files[rel].rows_written = writer.lines
