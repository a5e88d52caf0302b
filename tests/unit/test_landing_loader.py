"""The loader on hand-made deliveries, against a real DuckDB file.

Each kind of bad delivery of the landing contract is rejected with its reason while the
rest of the file (and the other files) loads; counts reconcile; loads are idempotent;
corrected re-deliveries replace rows; a killed load leaves nothing half-loaded.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from omni.contract import BY_FOLDER
from omni.landing.loader import load_extract

ORDER_LINES = BY_FOLDER["ecommerce/order_lines"]
HEADER = "order_id,line_number,sku,product_name,category,quantity,unit_price,line_total\n"


def write(root: Path, folder: str, name: str, content: str | bytes) -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    if name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def load(con: duckdb.DuckDBPyConnection, root: Path, folder: str):
    return load_extract(con, BY_FOLDER[folder], root, run_id="test")


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield connection
    connection.close()


def rejected(con: duckdb.DuckDBPyConnection, path_part: str) -> list[tuple[int, str]]:
    return con.execute(
        "select line, reason from audit.rejected_rows where path like ? order by line",
        [f"%{path_part}%"],
    ).fetchall()


def test_bad_rows_are_rejected_with_reasons_and_the_rest_loads(con, tmp_path):
    write(
        tmp_path,
        "ecommerce/order_lines",
        "lines.csv",
        HEADER
        + "O1,1,S1,Chaise pliante é,home,2,10.00,20.00\n"  # 2: good
        + 'O1,2,S2,"Table, ronde",home,1,12,50,12.50\n'  # 3: 12,50 -> too many fields
        + "O2,1,S3,Lampe,home,deux,5.00,5.00\n"  # 4: not an integer
        + "O3,1,S4,Lampe,home,1\n"  # 5: too few fields
        + "O4,1,,Lampe,home,1,5.00,5.00\n"  # 6: required value missing
        + "O5,1,S5,Lampe,home,1,5.001,5.00\n"  # 7: three decimals
        + "O6,1,S6,Lampe,home,1,5.00,5.00\n",  # 8: good
    )
    result = load(con, tmp_path, "ecommerce/order_lines")
    [outcome] = result.files
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_rejected) == (7, 2, 5)
    assert outcome.status == "loaded_with_rejects"
    reasons = dict(rejected(con, "lines.csv"))
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "too many columns" in reasons[3]
    assert "quantity is not an integer: deux" in reasons[4]
    assert "missing columns" in reasons[5]
    assert "missing required value: sku" in reasons[6]
    assert "unit_price is not an amount" in reasons[7]
    loaded = con.sql(
        "select order_id, _source_line, _source_file from raw.ecommerce__order_lines order by 2"
    ).fetchall()
    assert loaded == [
        ("O1", 2, "ecommerce/order_lines/lines.csv"),
        ("O6", 8, "ecommerce/order_lines/lines.csv"),
    ]
    raw_text = con.sql("select raw_text from audit.rejected_rows where line = 3").fetchone()[0]
    assert raw_text == 'O1,2,S2,"Table, ronde",home,1,12,50,12.50'


def test_wrong_types_for_dates_and_timestamps(con, tmp_path):
    header = "rate_date,currency,rate_to_eur\n"
    write(
        tmp_path,
        "finance/fx_rates",
        "fx.csv",
        header + "2026-02-27,CAD,0.68\n2026-02-31,CAD,0.68\n31/01/2026,USD,0.92\n"
        "2026-03-02,USD,0,92\n2026-03-03,USD,abc\n",
    )
    [outcome] = load(con, tmp_path, "finance/fx_rates").files
    assert (outcome.rows_loaded, outcome.rows_rejected) == (1, 4)
    reasons = dict(rejected(con, "fx.csv"))
    assert reasons[3] == "rate_date is not a date YYYY-MM-DD: 2026-02-31"
    assert reasons[4] == "rate_date is not a date YYYY-MM-DD: 31/01/2026"
    assert "too many columns" in reasons[5]
    assert reasons[6] == "rate_to_eur is not a decimal number with a '.': abc"


def test_whole_file_rejections_keep_every_line(con, tmp_path):
    renamed = HEADER.replace("line_number", "line_no")
    missing = HEADER.replace(",category", "")
    extra = HEADER.replace("\n", ",note\n")
    write(tmp_path, "ecommerce/order_lines", "renamed.csv", renamed + "O1,1,S,P,c,1,1.00,1.00\n")
    write(tmp_path, "ecommerce/order_lines", "missing.csv", missing + "O1,1,S,P,1,1.00,1.00\n")
    write(tmp_path, "ecommerce/order_lines", "extra.csv", extra + "O1,1,S,P,c,1,1.00,1.00,x\n")
    latin = HEADER + "O1,1,S,Crème brûlée,food,1,1.00,1.00\nO2,1,S,Tea,food,1,1.00,1.00\n"
    write(tmp_path, "ecommerce/order_lines", "latin1.csv", latin.encode("cp1252"))
    write(tmp_path, "ecommerce/order_lines", "empty.csv", b"")
    outcomes = {
        f.path.rsplit("/", 1)[1]: f for f in load(con, tmp_path, "ecommerce/order_lines").files
    }
    assert outcomes["renamed.csv"].error == (
        "header does not match the contract: missing line_number; unexpected line_no"
    )
    assert outcomes["missing.csv"].error == "header does not match the contract: missing category"
    assert outcomes["extra.csv"].error == "header does not match the contract: unexpected note"
    assert outcomes["latin1.csv"].error.startswith("file is not valid UTF-8")
    assert (outcomes["latin1.csv"].rows_read, outcomes["latin1.csv"].rows_rejected) == (2, 2)
    assert outcomes["empty.csv"].status == "empty"
    for name in ("renamed.csv", "missing.csv", "extra.csv", "latin1.csv"):
        assert outcomes[name].status == "rejected"
        assert outcomes[name].rows_loaded == 0
    # The rejected lines are kept, readable, with the line they came from.
    assert con.sql(
        "select line, raw_text from audit.rejected_rows where path like '%latin1.csv' order by line"
    ).fetchall() == [
        (2, "O1,1,S,Crème brûlée,food,1,1.00,1.00"),
        (3, "O2,1,S,Tea,food,1,1.00,1.00"),
    ]
    assert con.sql("select count(*) from raw.ecommerce__order_lines").fetchone()[0] == 0


def test_truncated_files_reject_their_last_line(con, tmp_path):
    write(
        tmp_path,
        "ecommerce/order_lines",
        "cut.csv",
        HEADER + "O1,1,S1,P,c,1,1.00,1.00\nO2,1,S2,P,c,1,1.00,1.0",  # cut inside the last field
    )
    events = [
        {
            "message_id": "m1",
            "type": "page",
            "anonymous_id": "a1",
            "timestamp": "2026-11-01T10:00:00+01:00",
            "received_at": "2026-11-01T09:00:01Z",
        },
    ]
    write(
        tmp_path,
        "web/events",
        "ev.jsonl",
        json.dumps(events[0]) + "\n" + '{"message_id": "m2", "ty',
    )
    [csv_outcome] = load(con, tmp_path, "ecommerce/order_lines").files
    [json_outcome] = load(con, tmp_path, "web/events").files
    assert (csv_outcome.rows_loaded, csv_outcome.rows_rejected) == (1, 1)
    assert (json_outcome.rows_loaded, json_outcome.rows_rejected) == (1, 1)
    assert rejected(con, "cut.csv")[0][1].startswith("file ends in the middle of this line")
    assert rejected(con, "ev.jsonl")[0][0] == 2


def test_json_lines_flaws(con, tmp_path):
    good = {
        "message_id": "m1",
        "type": "identify",
        "event": None,
        "anonymous_id": "a1",
        "user_id": "u1",
        "timestamp": "2026-11-01T10:00:00+01:00",
        "received_at": "2026-11-01T09:00:01Z",
        "context": {"page": {"path": "/fr/été"}, "campaign": {"source": "google"}},
        "traits": {"email": " Marie.Dupont+promo@Gmail.com "},
        "surprise": {"new": "key"},
    }
    lines = [
        json.dumps(good, ensure_ascii=False),
        "this is not json",
        json.dumps({**good, "message_id": "m3", "received_at": "yesterday"}),
        json.dumps({**good, "message_id": None}),
        json.dumps(["an", "array"]),
    ]
    write(tmp_path, "web/events", "events.jsonl.gz", "\n".join(lines) + "\n")
    [outcome] = load(con, tmp_path, "web/events").files
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_rejected) == (5, 1, 4)
    reasons = dict(rejected(con, "events.jsonl.gz"))
    assert reasons[2].startswith("not a JSON object")
    assert reasons[3].startswith("received_at is not an ISO-8601 timestamp")
    assert reasons[4] == "missing required value: message_id"
    assert reasons[5].startswith("not a JSON object")
    path, email = con.sql(
        "select context->>'$.page.path', traits->>'$.email' from raw.web__events"
    ).fetchone()
    assert (path, email) == ("/fr/été", " Marie.Dupont+promo@Gmail.com ")


def test_windows_1252_call_centre_export(con, tmp_path):
    header = (
        "call_id;direction;caller_number;called_number;started_at;duration_sec;queue;"
        "disposition;member_id;order_ref;agent_id;campaign_id;csat;notes\n"
    )
    body = (
        "C1;IN;514-555-0199;;21/11/2026 10:00:00;120;ORDERS;RESOLVED;;;A1;;5;"
        '"Très contente; 50 €"\n'
        "C2;IN;ANONYMOUS;;31/02/2026 10:00:00;60;ORDERS;RESOLVED;;;A1;;;\n"
    )
    write(tmp_path, "call_center/calls", "calls-20261121.csv.gz", (header + body).encode("cp1252"))
    [outcome] = load(con, tmp_path, "call_center/calls").files
    assert (outcome.rows_loaded, outcome.rows_rejected) == (1, 1)
    assert (
        con.sql("select notes from raw.call_center__calls").fetchone()[0] == "Très contente; 50 €"
    )
    assert rejected(con, "calls")[0] == (
        3,
        "started_at is not a timestamp DD/MM/YYYY HH:MM:SS: 31/02/2026 10:00:00",
    )


def test_parquet_app_events(con, tmp_path):
    table = pa.table(
        {
            "event_id": ["e1", "e2", None],
            "event_name": ["app_open", "purchase", "login"],
            "event_timestamp": pa.array([1_763_700_000_000_000] * 3, pa.int64()),
            "device_id": ["d1", "d1", "d2"],
            "platform": ["ios", "ios", "android"],
            "app_version": ["5.1", "5.1", "5.0"],
            "user_id": [None, "u1", "u2"],
            "order_id": [None, "O1", None],
            "campaign_id": [None, None, None],
            "params": [None, '{"screen": "home"}', None],
        }
    )
    path = tmp_path / "app" / "events"
    path.mkdir(parents=True)
    pq.write_table(table, path / "events_2026-11-21.parquet")
    [outcome] = load(con, tmp_path, "app/events").files
    assert (outcome.rows_loaded, outcome.rows_rejected) == (2, 1)
    assert rejected(con, "events_2026")[0] == (3, "missing required value: event_id")
    assert con.sql(
        "select list(_source_line order by _source_line) from raw.app__events"
    ).fetchone()[0] == [1, 2]


def test_cut_off_archive_and_unreadable_file_are_logged_and_others_load(con, tmp_path):
    write(tmp_path, "ecommerce/order_lines", "a.csv", HEADER + "O1,1,S,P,c,1,1.00,1.00\n")
    cut = tmp_path / "ecommerce/order_lines/b.csv.gz"
    body = "".join(f"O{i},1,S,P,c,1,1.00,1.00\n" for i in range(5000))
    compressed = gzip.compress((HEADER + body).encode())
    cut.write_bytes(compressed[: len(compressed) // 2])
    outcomes = {
        f.path.rsplit("/", 1)[1]: f for f in load(con, tmp_path, "ecommerce/order_lines").files
    }
    assert outcomes["a.csv"].rows_loaded == 1
    assert outcomes["b.csv.gz"].status == "rejected"
    assert outcomes["b.csv.gz"].error.startswith("compressed file is cut off")
    assert outcomes["b.csv.gz"].rows_read == outcomes["b.csv.gz"].rows_rejected > 0

    (tmp_path / "app/events").mkdir(parents=True)
    (tmp_path / "app/events/events.parquet").write_bytes(b"PAR1 this is not parquet")
    [unreadable] = load(con, tmp_path, "app/events").files
    assert unreadable.status == "failed"
    assert unreadable.error.startswith("file cannot be read")
    logged = con.sql("select status, error from audit.load_log where path like '%.parquet'")
    assert logged.fetchone()[0] == "failed"


def test_ignored_files_missing_folders_and_counts_reconcile(con, tmp_path):
    write(tmp_path, "ecommerce/order_lines", "a.csv", HEADER + "O1,1,S,P,c,1,1.00,1.00\n")
    for name in (".DS_Store", "README.txt", "upload.csv.part", "x.tmp"):
        write(tmp_path, "ecommerce/order_lines", name, "garbage")
    assert len(load(con, tmp_path, "ecommerce/order_lines").files) == 1
    assert load(con, tmp_path, "pos/stores").files == []  # folder missing: nothing, no error
    unbalanced = con.sql(
        "select count(*) from audit.load_log where rows_read <> rows_loaded + rows_rejected"
    ).fetchone()[0]
    assert unbalanced == 0


def test_idempotent_duplicate_and_corrected_redelivery(con, tmp_path):
    first = HEADER + "O1,1,S1,P,c,1,1.00,1.00\nO1,2,S2,P,c,1,2.00,2.00\n"
    write(tmp_path, "ecommerce/order_lines", "day1.csv", first)
    write(tmp_path, "ecommerce/order_lines", "day2.csv.gz", HEADER + "O2,1,S1,P,c,3,1.00,3.00\n")
    assert load(con, tmp_path, "ecommerce/order_lines").rows_loaded == 3

    again = load(con, tmp_path, "ecommerce/order_lines")
    assert (again.files, again.unchanged) == ([], 2)

    write(tmp_path, "ecommerce/order_lines", "day1 (1).csv", first)  # same content, new name
    [duplicate] = load(con, tmp_path, "ecommerce/order_lines").files
    assert duplicate.status == "duplicate" and duplicate.rows_loaded == 0
    assert con.sql("select count(*) from raw.ecommerce__order_lines").fetchone()[0] == 3

    file_id = con.sql(
        "select distinct _file_id from raw.ecommerce__order_lines "
        "where _source_file like '%day1.csv'"
    ).fetchone()[0]
    write(tmp_path, "ecommerce/order_lines", "day1.csv", HEADER + "O1,1,S1,P,c,1,1.50,1.50\n")
    [corrected] = load(con, tmp_path, "ecommerce/order_lines").files
    assert corrected.rows_loaded == 1
    rows = con.sql(
        "select unit_price, _file_id from raw.ecommerce__order_lines where order_id = 'O1'"
    ).fetchall()
    assert rows == [("1.50", file_id)]  # replaced, and in the place of the version it corrects
    statuses = con.sql(
        "select status from audit.load_log where path like '%day1.csv' order by load_id"
    ).fetchall()
    assert statuses == [("superseded",), ("loaded",)]
    logged = con.sql(
        "select sum(rows_loaded) from audit.load_log where status like 'loaded%'"
    ).fetchone()[0]
    assert logged == con.sql("select count(*) from raw.ecommerce__order_lines").fetchone()[0] == 2


def test_a_correction_keeps_the_rows_it_repeats_on_their_line(con, tmp_path):
    first = HEADER + "O1,1,S1,P,c,1,1.00,1.00\nO1,2,S2,P,c,1,2.00,2.00\nO2,1,S1,P,c,1,3.00,3.00\n"
    write(tmp_path, "ecommerce/order_lines", "day1.csv", first)
    load(con, tmp_path, "ecommerce/order_lines")
    first_load, before = con.sql("select load_id, loaded_at from audit.load_log").fetchone()

    # line 2 repeated, line 3 changed, O2/1 repeated but moved from line 4 to 5 behind a new
    # line: only a row repeated on its own line, every value equal, stays as it was
    write(
        tmp_path,
        "ecommerce/order_lines",
        "day1.csv",
        HEADER + "O1,1,S1,P,c,1,1.00,1.00\nO1,2,S2,P,c,2,2.00,4.00\nO3,1,S1,P,c,1,5.00,5.00\n"
        "O2,1,S1,P,c,1,3.00,3.00\n",
    )
    [corrected] = load(con, tmp_path, "ecommerce/order_lines").files
    load_id, after = con.sql(
        "select load_id, loaded_at from audit.load_log where status = 'loaded'"
    ).fetchone()
    rows = con.sql(
        "select order_id, line_number, quantity, _source_line, _load_id, _loaded_at "
        "from raw.ecommerce__order_lines order by _source_line"
    ).fetchall()
    assert corrected.rows_loaded == 4 and after > before
    assert rows == [
        ("O1", "1", "1", 2, first_load, before),
        ("O1", "2", "2", 3, load_id, after),
        ("O3", "1", "1", 4, load_id, after),
        ("O2", "1", "1", 5, load_id, after),
    ]
    logged = con.sql(
        "select sum(rows_loaded) from audit.load_log where status like 'loaded%'"
    ).fetchone()[0]
    assert logged == len(rows)


KILL_SCRIPT = """
import sys
from pathlib import Path
import duckdb
from omni.contract import BY_FOLDER
from omni.landing.loader import load_extract
con = duckdb.connect(sys.argv[1])
load_extract(con, BY_FOLDER["ecommerce/order_lines"], Path(sys.argv[2]))
"""


def test_a_killed_load_leaves_nothing_half_loaded(tmp_path):
    rows = 3_000_000
    folder = tmp_path / "landing" / "ecommerce" / "order_lines"
    folder.mkdir(parents=True)
    with (folder / "big.csv").open("w") as handle:
        handle.write(HEADER)
        handle.writelines(f"O{i},1,S{i},Produit {i},cat,1,1.00,1.00\n" for i in range(rows))
    database = tmp_path / "warehouse.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(database), str(tmp_path / "landing")],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    time.sleep(1.5)
    assert process.poll() is None, "the load finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    con = duckdb.connect(str(database))
    assert con.sql("select count(*) from raw.ecommerce__order_lines").fetchone()[0] == 0
    assert con.sql("select count(*) from audit.load_log").fetchone()[0] == 0
    result = load_extract(con, ORDER_LINES, tmp_path / "landing")
    assert result.rows_loaded == rows
    assert con.sql("select count(*) from raw.ecommerce__order_lines").fetchone()[0] == rows
    con.close()
