"""File-level bad deliveries, duplicates and ignored files, applied once everything is written.

Each whole-file defect takes a written daily file: the defective content goes under the
original name and the good content is re-delivered under another name, so no record is
lost. Candidates are fixed days well before the end, so the choice does not move with
hold_back (as long as those days are delivered).
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from collections.abc import Callable

from omni.contract import BY_FOLDER
from omni.generate.sink import FileRecord, Sink

# defect -> (extracts to try, days before the end to try in order, re-delivery suffix)
WHOLE_FILE = (
    (
        "wrong_encoding",
        ("ecommerce/accounts", "loyalty/members"),
        (9, 10, 11, 12, 8, 13),
        "_resent",
    ),
    ("header_renamed", ("loyalty/members",), (8, 9, 10, 11, 12, 13), "-v2"),
    ("header_missing_column", ("ecommerce/order_lines",), (7, 8, 9, 10, 11), "_fixed"),
    ("header_extra_column", ("call_center/calls",), (10, 9, 11, 12, 8, 13), "-2"),
    ("truncated", ("ecommerce/orders",), (6, 7, 8, 9, 10), None),
    (
        "truncated",
        ("support/tickets", "social/interactions", "web/events"),
        (5, 6, 7, 8, 9, 10, 11),
        None,
    ),
)
DUPLICATE = ("ecommerce/orders", 4)
EMPTY = ("email/events", 6, "esp_events_{d:%Y%m%d}_retry.csv")
RENAMED = {"card_number": "loyalty_card_no"}
MISSING = "category"
EXTRA = "wrapup_code"


def apply(sink: Sink) -> None:
    used: set[str] = set()
    for defect, folders, days, suffix in WHOLE_FILE:
        record = _candidate(sink, folders, days, used, defect)
        if record is None:
            continue
        used.add(record.path)
        if defect == "truncated":
            _truncate(sink, record)
        else:
            _reject_whole_file(sink, record, defect, suffix or "")
    _duplicate(sink)
    _empty(sink)
    _ignored(sink)


def _candidate(
    sink: Sink, folders: tuple[str, ...], days: tuple[int, ...], used: set[str], defect: str
) -> FileRecord | None:
    """The first written daily file of `folders` x `days` fit for the defect."""
    last = sink.timeline.days - 1
    for folder in folders:
        for back in days:
            rel = sink.path_for(folder, last - back)
            record = sink.files.get(rel)
            if record is None or rel in used or not record.rows_written:
                continue
            if rel.endswith(".gz") and defect != "truncated":
                continue
            if defect == "wrong_encoding" and (sink.out / rel).read_bytes().isascii():
                continue
            return record
    return None


def _resend_name(rel: str, suffix: str) -> str:
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}{suffix}{dot}{ext}"


def _reject_whole_file(sink: Sink, record: FileRecord, defect: str, suffix: str) -> None:
    extract = BY_FOLDER[record.extract]
    path = sink.out / record.path
    good = path.read_bytes()
    resend = _resend_name(record.path, suffix)
    (sink.out / resend).write_bytes(good)
    sink.files[resend] = FileRecord(
        resend, record.extract, record.rows_written, record.rows_bad, "", record.bad_lines
    )
    text = good.decode(extract.encoding)
    if defect == "wrong_encoding":
        path.write_bytes(text.encode("cp1252"))
    else:
        path.write_bytes(_reshape(text, extract.delimiter, defect).encode(extract.encoding))
    sink.files[record.path] = FileRecord(
        record.path, record.extract, record.rows_written, record.rows_written, defect
    )


def _reshape(text: str, delimiter: str, defect: str) -> str:
    """The same CSV with its header renamed, or a column missing, or an extra column."""
    terminator = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = rows[0]
    if defect == "header_renamed":
        rows[0] = [RENAMED.get(c, c) for c in header]
    elif defect == "header_missing_column":
        k = header.index(MISSING)
        rows = [r[:k] + r[k + 1 :] for r in rows]
    else:
        rows = [[*rows[0], EXTRA]] + [[*r, f"W{i % 7}"] for i, r in enumerate(rows[1:])]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=terminator).writerows(rows)
    return buffer.getvalue()


def _truncate(sink: Sink, record: FileRecord) -> None:
    """Append a copy of the last line cut in its middle, without a line end."""
    extract = BY_FOLDER[record.extract]
    path = sink.out / record.path
    compressed = record.path.endswith(".gz")
    data = gzip.decompress(path.read_bytes()) if compressed else path.read_bytes()
    last = data.rstrip(b"\r\n").rsplit(b"\n", 1)[-1]
    if extract.file_format == "csv":
        cut = _cut_point(last.decode(extract.encoding), extract.delimiter)
        partial = last.decode(extract.encoding)[:cut].encode(extract.encoding)
        line = record.rows_written + 2
    else:
        partial = last[: len(last) // 2]
        line = record.rows_written + 1
    content = data + partial
    path.write_bytes(gzip.compress(content, 3, mtime=0) if compressed else content)
    record.rows_written += 1
    record.rows_bad += 1
    record.bad_lines.append((line, "truncated_line"))
    record.defect = "truncated"


def _cut_point(line: str, delimiter: str) -> int:
    """A position in the middle of a field, about half-way through the line's fields."""
    positions, quoted = [], False
    for i, c in enumerate(line):
        if c == '"':
            quoted = not quoted
        elif c == delimiter and not quoted:
            positions.append(i)
    cut = positions[len(positions) // 2]
    nxt = line[cut + 1 : cut + 3]
    return cut + 1 + (len(nxt) if nxt and '"' not in nxt and delimiter not in nxt else 0)


def _duplicate(sink: Sink) -> None:
    folder, back = DUPLICATE
    rel = sink.path_for(folder, sink.timeline.days - 1 - back)
    record = sink.files.get(rel)
    if record is None:
        return
    copy = _resend_name(rel, " (1)")
    shutil.copyfile(sink.out / rel, sink.out / copy)
    sink.files[copy] = FileRecord(copy, folder, record.rows_written, 0, "duplicate_content")


def _empty(sink: Sink) -> None:
    folder, back, pattern = EMPTY
    day = sink.timeline.days - 1 - back
    if day > sink.cutoff:
        return
    rel = f"{folder}/{pattern.format(d=sink.timeline.date(day))}"
    (sink.out / rel).write_bytes(b"")
    sink.files[rel] = FileRecord(rel, folder, 0, 0, "empty_file")


def _ignored(sink: Sink) -> None:
    backfill = sink.path_for("call_center/calls", sink.timeline.backfill_day)
    files: dict[str, Callable[[], bytes]] = {
        "ecommerce/orders/.DS_Store": lambda: b"\x00\x00\x00\x01Bud1" + bytes(60),
        "pos/transactions/README.txt": lambda: (
            b"Exports from the store tills, one file a day. Contact: it-retail@example.com\n"
        ),
        "email/events/upload_3f2a.tmp": lambda: b"event_id,campaign_id\n",
        f"{backfill}.part": lambda: (sink.out / backfill).read_bytes()[:4096],
    }
    for rel, content in files.items():
        if rel.endswith(".part") and backfill not in sink.files:
            continue
        target = sink.out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content())
        sink.files[rel] = FileRecord(rel, "", 0, 0, "ignored")
