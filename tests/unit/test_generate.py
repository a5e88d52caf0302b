"""The sample-data generator: determinism, hold_back, contract conformance, defects, truth."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import random
import re
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from omni.contract import BY_FOLDER, Extract
from omni.generate import badrows, generate, truth_dir_for
from omni.generate.activity import CHUNK_SIZE
from omni.generate.calendar import Timeline
from omni.generate.ids import Ids
from omni.generate.run import _job
from omni.generate.sink import RenderSettings
from omni.generate.truth import FxTable
from omni.generate.world import fx_rates, make_campaigns

SMALL = {"customers": 800, "days": 60}
REJECTED = {
    "empty_file",
    "wrong_encoding",
    "header_renamed",
    "header_missing_column",
    "header_extra_column",
}

_TSZ = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_INT = re.compile(r"^-?\d+$")
_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _valid(kind: str, value: str) -> bool:
    """Is a CSV value well-formed for its contract kind?"""
    try:
        if kind == "int":
            return bool(_INT.match(value))
        if kind == "money":
            return bool(_MONEY.match(value))
        if kind == "number":
            return bool(_NUMBER.match(value))
        if kind == "bool":
            return value in ("true", "false")
        if kind == "date":
            return len(value) == 10 and date.fromisoformat(value) is not None
        if kind == "timestamptz":
            return bool(_TSZ.match(value)) and datetime.fromisoformat(value) is not None
        if kind == "local_timestamp":
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S") is not None
        if kind == "dmy_timestamp":
            return datetime.strptime(value, "%d/%m/%Y %H:%M:%S") is not None
    except ValueError:
        return False
    return True


def csv_row_ok(extract: Extract, fields: list[str]) -> bool:
    if len(fields) != len(extract.columns):
        return False
    for column, value in zip(extract.columns, fields, strict=True):
        if value == "":
            if not column.nullable:
                return False
        elif not _valid(column.kind, value):
            return False
    return True


def jsonl_row_ok(extract: Extract, line: bytes) -> bool:
    try:
        record = json.loads(line)
    except ValueError:
        return False
    for column in extract.columns:
        value = record.get(column.name)
        if value is None:
            if not column.nullable:
                return False
        elif column.kind == "json":
            if not isinstance(value, dict | list):
                return False
        elif column.kind == "int":
            if not isinstance(value, int):
                return False
        elif not isinstance(value, str) or not _valid(column.kind, value):
            return False
    return True


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def csv_lines(path: Path, extract: Extract) -> list[list[str]]:
    text = read_bytes(path).decode(extract.encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=extract.delimiter))


def sha_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def truth_csv(out: Path, name: str) -> list[dict[str, str]]:
    with (truth_dir_for(out) / name).open(newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("gen")
    out = {}
    for name, kwargs in {
        "a": {"seed": 7},
        "a_again": {"seed": 7},
        "other_seed": {"seed": 8},
        "held": {"seed": 7, "hold_back": 3},
    }.items():
        out[name] = base / name / "landing"
        generate(out[name], **SMALL, **kwargs)
    return out


@pytest.fixture(scope="module")
def files(runs: dict[str, Path]) -> list[dict[str, str]]:
    return truth_csv(runs["a"], "files.csv")


def test_truth_is_beside_the_landing_zone(tmp_path: Path) -> None:
    assert truth_dir_for(tmp_path / "landing") == tmp_path / "landing_truth"


def test_same_seed_gives_identical_files_and_another_seed_differs(runs: dict[str, Path]) -> None:
    a, again = sha_tree(runs["a"]), sha_tree(runs["a_again"])
    assert a == again and len(a) > 150
    other = sha_tree(runs["other_seed"])
    assert sum(a[k] != other.get(k) for k in a) > len(a) // 2
    truth_a = sha_tree(truth_dir_for(runs["a"]))
    assert truth_a == sha_tree(truth_dir_for(runs["a_again"]))


def test_gzip_headers_have_no_name_and_no_mtime(runs: dict[str, Path]) -> None:
    gz = sorted(runs["a"].rglob("*.gz"))
    assert gz
    for path in gz:
        header = path.read_bytes()[:10]
        assert header[3] & 0x08 == 0  # FNAME flag
        assert header[4:8] == b"\x00\x00\x00\x00"  # mtime


def test_hold_back_leaves_earlier_files_identical(runs: dict[str, Path]) -> None:
    full, held = sha_tree(runs["a"]), sha_tree(runs["held"])
    corrected = "ecommerce/orders/orders_2026-11-18.csv"
    assert held[corrected] != full[corrected]
    differing = [k for k in held if held[k] != full.get(k)]
    assert differing == [corrected]
    new = set(full) - set(held)
    assert new and all(re.search(r"2026-?11-?(19|20|21)", k) for k in new)
    assert not any(re.search(r"2026-?11-?(19|20|21)", k) for k in held if "history" not in k)
    manifest = json.loads((truth_dir_for(runs["held"]) / "manifest.json").read_text())
    assert manifest["last_delivery_date"] == "2026-11-18"


def test_hold_back_changes_no_bad_row_of_the_days_it_keeps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A held-back day's bad rows must not change those of the files still delivered: at
    1,000,000 customers the last day holds a few, and they changed the corrupted copies of
    every later extract's history file, which then came again as a corrected re-delivery."""
    monkeypatch.setattr(badrows, "RATE", 0.02)
    timeline = Timeline(SMALL["days"])
    campaigns = make_campaigns(timeline, seed=7)
    parts = {}
    for hold_back in (0, 1):
        fx = FxTable([(timeline.date(d).isoformat(), c, r) for d, c, r in fx_rates(timeline, 7)])
        settings = RenderSettings(7, timeline, hold_back, fx)
        _, output = _job((settings, campaigns, 1, 2 * CHUNK_SIZE))
        parts[hold_back] = {(p.folder, p.day): (p.data, p.bad) for p in output.parts}
    last_day = timeline.days - 1
    held_bad_rows = [bad for (_, day), (_, bad) in parts[0].items() if day == last_day and bad]
    assert held_bad_rows  # the held-back day has bad rows of its own
    assert parts[1] == {key: part for key, part in parts[0].items() if key[1] != last_day}


def test_corrected_redelivery_differs_only_in_amounts(runs: dict[str, Path]) -> None:
    extract = BY_FOLDER["ecommerce/orders"]
    rel = "ecommerce/orders/orders_2026-11-18.csv"
    wrong = csv_lines(runs["held"] / rel, extract)
    right = csv_lines(runs["a"] / rel, extract)
    assert len(wrong) == len(right) > 1
    total = extract.column_names.index("total")
    changed = [(w, r) for w, r in zip(wrong, right, strict=True) if w != r]
    assert changed and all(Decimal(w[total]) == 10 * Decimal(r[total]) for w, r in changed)
    defects = {f["path"]: f["defect"] for f in truth_csv(runs["a"], "files.csv")}
    assert defects[rel] == "corrected_redelivery"


def test_every_row_of_every_delivered_file_follows_the_contract(
    runs: dict[str, Path], files: list[dict[str, str]]
) -> None:
    bad = defaultdict(dict)
    for row in truth_csv(runs["a"], "bad_rows.csv"):
        bad[row["path"]][int(row["line"])] = row["defect"]
    checked = defaultdict(int)
    for f in files:
        if not f["extract"] or f["defect"] in REJECTED:
            continue
        extract = BY_FOLDER[f["extract"]]
        path = runs["a"] / f["path"]
        expected_bad = bad.get(f["path"], {})
        if extract.file_format == "parquet":
            table = pq.read_table(path)
            assert table.schema.names == extract.column_names
            assert str(table.schema.field("event_timestamp").type) == "int64"
            for column in extract.columns:
                if not column.nullable:
                    assert table.column(column.name).null_count == 0
            assert table.num_rows == int(f["rows_written"])
            checked[f["extract"]] += table.num_rows
            continue
        if extract.file_format == "jsonl":
            data = read_bytes(path)
            lines = data.split(b"\n")
            if data.endswith(b"\n"):
                lines = lines[:-1]
            for number, line in enumerate(lines, start=1):
                assert jsonl_row_ok(extract, line) == (number not in expected_bad), (path, number)
            assert len(lines) == int(f["rows_written"])
            checked[f["extract"]] += len(lines)
            continue
        rows = csv_lines(path, extract)
        assert rows[0] == extract.column_names, path
        raw = read_bytes(path).decode(extract.encoding)
        assert raw.count("\n") == len(rows) - (0 if raw.endswith("\n") else 1)  # one line a row
        for number, fields in enumerate(rows[1:], start=2):
            assert csv_row_ok(extract, fields) == (number not in expected_bad), (path, number)
        assert len(rows) - 1 == int(f["rows_written"])
        assert sum(1 for n in expected_bad) == int(f["rows_bad"])
        checked[f["extract"]] += len(rows) - 1
    assert set(checked) == set(BY_FOLDER)


def test_rejected_files_really_are_rejected(runs: dict[str, Path], files: list[dict]) -> None:
    by_defect = {f["defect"]: f for f in files if f["defect"] in REJECTED}
    assert set(by_defect) == REJECTED
    assert (runs["a"] / by_defect["empty_file"]["path"]).stat().st_size == 0
    encoded = (runs["a"] / by_defect["wrong_encoding"]["path"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("utf-8")
    for defect in ("header_renamed", "header_missing_column", "header_extra_column"):
        f = by_defect[defect]
        extract = BY_FOLDER[f["extract"]]
        header = csv_lines(runs["a"] / f["path"], extract)[0]
        assert header != extract.column_names
        resent = [
            g
            for g in files
            if g["extract"] == f["extract"]
            and g["path"] != f["path"]
            and g["path"].startswith(f["path"].rsplit(".", 1)[0])
        ]
        assert len(resent) == 1 and resent[0]["rows_written"] == f["rows_written"]


def test_each_kind_of_bad_delivery_is_present(runs: dict[str, Path], files: list[dict]) -> None:
    kinds = {r["defect"] for r in truth_csv(runs["a"], "bad_rows.csv")}
    assert kinds == {
        "too_few_fields",
        "too_many_fields",
        "bad_amount",
        "bad_date",
        "bad_integer",
        "missing_required",
        "truncated_line",
        "invalid_json",
    }
    defects = {f["defect"] for f in files}
    assert defects >= REJECTED | {
        "duplicate_content",
        "truncated",
        "corrected_redelivery",
        "bad_rows",
        "ignored",
    }
    truncated = [f for f in files if f["defect"] == "truncated"]
    assert {BY_FOLDER[f["extract"]].file_format for f in truncated} == {"csv", "jsonl"}
    for f in truncated:
        assert not read_bytes(runs["a"] / f["path"]).endswith(b"\n")
    dup = next(f for f in files if f["defect"] == "duplicate_content")
    original = dup["path"].replace(" (1)", "")
    assert (runs["a"] / dup["path"]).read_bytes() == (runs["a"] / original).read_bytes()
    ignored = {Path(f["path"]).name for f in files if f["defect"] == "ignored"}
    assert ".DS_Store" in ignored and "README.txt" in ignored
    assert any(n.endswith(".tmp") for n in ignored) and any(n.endswith(".part") for n in ignored)


def _values(runs: dict[str, Path], folder: str, column: str) -> list[str]:
    extract = BY_FOLDER[folder]
    out = []
    for path in sorted((runs["a"] / folder).iterdir()):
        if extract.file_format != "csv" or path.name in (".DS_Store", "README.txt"):
            continue
        if path.suffix in (".tmp", ".part") or path.stat().st_size == 0:
            continue
        try:
            rows = csv_lines(path, extract)
        except UnicodeDecodeError:
            continue
        if rows and column in rows[0]:
            i = rows[0].index(column)
            out += [r[i] for r in rows[1:] if len(r) > i]
    return out


def _web_events(runs: dict[str, Path]) -> list[dict]:
    events = []
    for path in sorted((runs["a"] / "web/events").iterdir()):
        for line in read_bytes(path).splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                continue
    return events


def test_identifier_quirks_are_present(runs: dict[str, Path]) -> None:
    emails = (
        _values(runs, "ecommerce/orders", "email")
        + _values(runs, "pos/transactions", "receipt_email")
        + _values(runs, "loyalty/members", "email")
    )
    assert any("+" in e and "gmail.com" in e for e in emails)
    assert any(e != e.strip() for e in emails) and any(e != e.lower() for e in emails)
    phones = (
        _values(runs, "ecommerce/orders", "phone")
        + _values(runs, "pos/transactions", "phone")
        + _values(runs, "call_center/calls", "caller_number")
        + _values(runs, "loyalty/members", "phone")
    )
    patterns = {
        "+33 6 12 34 56 78": r"^\+33 \d( \d\d){4}$",
        "06.12.34.56.78": r"^0\d(\.\d\d){4}$",
        "0612345678": r"^0\d{9}$",
        "(514) 555-0199": r"^\(\d{3}\) \d{3}-\d{4}$",
        "514-555-0199": r"^\d{3}-\d{3}-\d{4}$",
        "+1 514 555 0199": r"^\+1 \d{3} \d{3} \d{4}$",
    }
    for example, pattern in patterns.items():
        assert any(re.match(pattern, p) for p in phones), example
    values = set(emails) | set(phones) | set(_values(runs, "call_center/calls", "caller_number"))
    for placeholder in (
        "noemail@store.com",
        "none@none.com",
        "a@a.com",
        "refus@client.fr",
        "0000000000",
        "1111111111",
        "ANONYMOUS",
        "999-999-9999",
    ):
        assert placeholder in values, placeholder
    cards = _values(runs, "pos/transactions", "loyalty_card")
    assert "6034 0000 0000 0000" in cards
    assert any(re.match(r"^\d{16}$", c) for c in cards)
    assert any(
        re.match(r"^\d{4} \d{4} \d{4} \d{4}$", c) and not c.startswith("6034 0000") for c in cards
    )
    addresses = _values(runs, "ecommerce/orders", "ship_address_line1")
    assert any(" av. " in a or " boul. " in a or a.endswith(" St") for a in addresses)


def test_web_events_have_duplicates_bots_anonymous_and_extra_keys(runs: dict[str, Path]) -> None:
    events = _web_events(runs)
    ids = defaultdict(list)
    for e in events:
        ids[e["message_id"]].append(e)
    duplicates = [v for v in ids.values() if len(v) > 1]
    assert duplicates and all(v[0] == v[1] for v in duplicates)
    assert any(re.search(r"bot|crawler", e["context"]["user_agent"], re.I) for e in events)
    assert any(e["user_id"] is None for e in events) and any(e["user_id"] for e in events)
    assert any(set(e) - set(BY_FOLDER["web/events"].column_names) for e in events)
    assert any(e.get("context", {}).get("campaign") for e in events)
    assert any(e["event"] == "Order Completed" for e in events)
    persons = pq.read_table(truth_dir_for(runs["a"]) / "persons.parquet").to_pylist()
    assert any(len(p["anonymous_ids"]) > 1 for p in persons)


def test_records_come_in_versions_and_late(runs: dict[str, Path]) -> None:
    for folder, key in (
        ("ecommerce/orders", "order_id"),
        ("ecommerce/accounts", "account_id"),
        ("loyalty/members", "member_id"),
    ):
        ids = _values(runs, folder, key)
        assert len(ids) > len(set(ids)), folder
    statuses = set(_values(runs, "ecommerce/orders", "status"))
    assert {"paid", "shipped", "delivered", "cancelled"} <= statuses
    assert statuses & {"refunded", "partially_refunded"}
    # an order created days before the file that carries its first version
    late = 0
    for path in sorted((runs["a"] / "ecommerce/orders").glob("orders_2026-11-*.csv")):
        delivered = path.name[7:17]
        for row in csv_lines(path, BY_FOLDER["ecommerce/orders"])[1:]:
            if len(row) > 11 and row[11][:10] < delivered and row[12] in ("paid", "pending"):
                late += 1
    assert late > 0


def test_record_persons_cover_written_records(runs: dict[str, Path]) -> None:
    table = pq.read_table(truth_dir_for(runs["a"]) / "record_persons.parquet").to_pylist()
    keys = [(r["source"], r["extract"], r["record_id"]) for r in table]
    assert len(keys) == len(set(keys))
    orders = {r["record_id"] for r in table if r["extract"] == "orders"}
    assert orders == {
        v for v in _values(runs, "ecommerce/orders", "order_id") if re.match(r"^\d{10}$", v)
    }
    bots = [r for r in table if r["person_id"] is None]
    assert bots and all(r["source"] == "web" for r in bots)


def _rates(runs: dict[str, Path]) -> dict[str, list[tuple[str, Decimal]]]:
    rates = defaultdict(list)
    for path in sorted((runs["a"] / "finance/fx_rates").iterdir()):
        for row in csv_lines(path, BY_FOLDER["finance/fx_rates"])[1:]:
            if csv_row_ok(BY_FOLDER["finance/fx_rates"], row):
                rates[row[1]].append((row[0], Decimal(row[2])))
    return {k: sorted(v) for k, v in rates.items()}


def test_revenue_truth_matches_an_independent_recomputation(
    runs: dict[str, Path], files: list[dict[str, str]]
) -> None:
    rates = _rates(runs)

    def eur(amount: Decimal, currency: str, on: str) -> Decimal:
        rate = Decimal(1) if currency == "EUR" else [r for d, r in rates[currency] if d <= on][-1]
        return (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    loadable = [f for f in files if f["defect"] not in REJECTED | {"duplicate_content"}]
    latest: dict[str, tuple] = {}
    totals = defaultdict(lambda: [0, Decimal("0.00")])
    orders, pos = BY_FOLDER["ecommerce/orders"], BY_FOLDER["pos/transactions"]
    for order, f in enumerate(sorted(loadable, key=lambda f: f["path"])):
        if f["extract"] == "ecommerce/orders":
            for row in csv_lines(runs["a"] / f["path"], orders)[1:]:
                if csv_row_ok(orders, row):
                    r = dict(zip(orders.column_names, row, strict=True))
                    key = (datetime.fromisoformat(r["updated_at"]), order)
                    if r["order_id"] not in latest or key > latest[r["order_id"]][0]:
                        latest[r["order_id"]] = (key, r)
        elif f["extract"] == "pos/transactions":
            for row in csv_lines(runs["a"] / f["path"], pos)[1:]:
                if csv_row_ok(pos, row):
                    r = dict(zip(pos.column_names, row, strict=True))
                    slot = totals["store"]
                    slot[0] += 1
                    slot[1] += eur(
                        Decimal(r["total_amount"]), r["currency"], r["transaction_local_time"][:10]
                    )
    for _, r in latest.values():
        net = Decimal(r["total"]) - Decimal(r["refunded_total"])
        if r["status"] in ("cancelled", "pending"):
            net = Decimal(0)
        created = datetime.fromisoformat(r["created_at"]).astimezone(UTC).date().isoformat()
        slot = totals[r["sales_channel"]]
        slot[0] += 1
        slot[1] += eur(net, r["currency"], created)
    truth = {
        r["sales_channel"]: (int(r["sales"]), Decimal(r["net_revenue_eur"]))
        for r in truth_csv(runs["a"], "revenue_by_sales_channel.csv")
    }
    assert truth == {k: (v[0], v[1]) for k, v in totals.items()}
    assert set(truth) == {"web", "app", "phone", "store"}


def test_order_amounts_are_coherent(runs: dict[str, Path]) -> None:
    extract = BY_FOLDER["ecommerce/orders"]
    lines: dict[tuple[str, str], Decimal] = {}
    for path in sorted((runs["a"] / "ecommerce/order_lines").iterdir()):
        for row in csv_lines(path, BY_FOLDER["ecommerce/order_lines"])[1:]:
            if csv_row_ok(BY_FOLDER["ecommerce/order_lines"], row):
                assert Decimal(row[6]) * int(row[5]) == Decimal(row[7])
                lines[(row[0], row[1])] = Decimal(row[7])
    subtotals: dict[str, Decimal] = defaultdict(Decimal)
    for (order_id, _), amount in lines.items():
        subtotals[order_id] += amount
    checked = 0
    for path in sorted((runs["a"] / "ecommerce/orders").iterdir()):
        if not path.name.startswith("orders_") or "(1)" in path.name:
            continue
        for row in csv_lines(path, extract)[1:]:
            if not csv_row_ok(extract, row):
                continue
            r = dict(zip(extract.column_names, row, strict=True))
            sub, disc, ship, tax, total = (
                Decimal(r[c])
                for c in ("subtotal", "discount_total", "shipping_total", "tax_total", "total")
            )
            assert total == sub - disc + ship + tax
            if r["order_id"] in subtotals and path.name != "orders_2026-11-18.csv":
                assert subtotals[r["order_id"]] == sub
            if r["fulfilment"] == "click_and_collect":
                assert r["pickup_store_id"]
            checked += 1
    assert checked > 100


def test_summary_and_manifest(tmp_path: Path) -> None:
    summary = generate(tmp_path / "landing", customers=200, days=30, seed=1)
    text = str(summary)
    assert "web/events" in text and "rows/s" in text
    assert summary.persons == 200 and summary.files_written > 150
    manifest = json.loads((tmp_path / "landing_truth" / "manifest.json").read_text())
    assert manifest["end_date"] == "2026-11-21" and manifest["arguments"]["customers"] == 200
    assert not list((tmp_path / "landing").rglob("*truth*"))


def test_output_does_not_depend_on_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import omni.generate.run as run

    generate(tmp_path / "parallel" / "landing", customers=2100, days=20, seed=3)
    monkeypatch.setattr(run.os, "cpu_count", lambda: 1)
    generate(tmp_path / "serial" / "landing", customers=2100, days=20, seed=3)
    parallel, serial = tmp_path / "parallel", tmp_path / "serial"
    assert sha_tree(parallel) == sha_tree(serial)


def test_record_ids_stay_unique_when_counters_pass_their_format() -> None:
    # mailing ids have 10**9 values and a chunk 10**7 counters: the 100th chunk (200,000
    # customers on) used to give the ids of the first one again
    first, hundredth = Ids(0, random.Random(0)), Ids(100, random.Random(0))
    first_ids = {first.mailing() for _ in range(1000)}
    hundredth_ids = {hundredth.mailing() for _ in range(1000)}
    assert len(first_ids) == len(hundredth_ids) == 1000
    assert not first_ids & hundredth_ids
    # below the modulus the ids are those generated before (samples up to 200,000 customers)
    assert Ids(0, random.Random(0)).mailing() == "DM142857142"
