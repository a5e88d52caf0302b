"""Incremental staging tables against what the loader really does to raw.

Real loader, real dbt, real DuckDB: hand-made deliveries are loaded one after another and
the staging table is built incrementally after each; it must equal a --full-refresh rebuild
of the same raw rows, row for row, including after corrected re-deliveries that drop a
record's newer version, a record's first delivery, or every line of a file (the loader
deletes the rows of the file it corrects, which no merge of new rows can undo: the records
the correction can change are restaged from raw, macro restage_redelivered_files). A record
that a correction repeats unchanged keeps its load time, so that the marts do not take it
for new.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import duckdb

from omni.contract import BY_FOLDER
from omni.landing.loader import load_extract
from tests.integration.conftest import run_dbt
from tests.unit.test_landing_loader import HEADER, write

EMAIL_HEADER = "event_id,campaign_id,subscriber_id,email,event_type,occurred_at,url,bounce_type\n"


def _deliver(landing: Path, warehouse: Path, extract: str, name: str, content: str) -> None:
    write(landing, extract, name, content)
    with duckdb.connect(str(warehouse)) as con:
        load_extract(con, BY_FOLDER[extract], landing, run_id="test")
    model = _model(extract)
    run_dbt(["run", "--select", model], warehouse, warehouse.parent / "target")


def _model(extract: str) -> str:
    source, table = extract.split("/")
    return f"stg_{source}__{table}"


def _rows(warehouse: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(query).fetchall()


def _differences(incremental: Path, tmp_path: Path, model: str) -> int:
    """Rows of `model` in one warehouse and not the other, against a --full-refresh."""
    rebuilt = tmp_path / f"rebuilt-{model}" / incremental.name
    rebuilt.parent.mkdir()
    shutil.copy(incremental, rebuilt)
    run_dbt(["run", "--full-refresh", "--select", model], rebuilt, rebuilt.parent / "target")
    both = duckdb.connect()
    both.execute(f"attach '{incremental}' as incremental (read_only)")
    both.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
    relation = f"staging.{model}"
    return sum(
        both.sql(
            f"select count(*) from (select * from {a}.{relation} "
            f"except all select * from {b}.{relation})"
        ).fetchone()[0]
        for a, b in (("incremental", "rebuilt"), ("rebuilt", "incremental"))
    )


def test_corrected_redeliveries_that_drop_versions_and_records(tmp_path: Path) -> None:
    warehouse = tmp_path / "omnichannel.duckdb"
    deliver = partial(_deliver, tmp_path / "landing", warehouse, "ecommerce/order_lines")
    quantities = (
        "select order_id, line_number, quantity from staging.stg_ecommerce__order_lines "
        "order by all"
    )
    deliver("day1.csv", HEADER + "O1,1,S1,P,c,1,1.00,1.00\nO1,2,S2,P,c,1,2.00,2.00\n")
    # a later file: a newer version of O1/1 (the later file wins), a new order
    deliver("day2.csv", HEADER + "O1,1,S1,P,c,2,1.00,2.00\nO2,1,S1,P,c,3,1.00,3.00\n")
    deliver("day3.csv", HEADER + "O3,1,S1,P,c,5,1.00,5.00\n")
    assert _rows(warehouse, quantities) == [("O1", 1, 2), ("O1", 2, 1), ("O2", 1, 3), ("O3", 1, 5)]

    # day2.csv corrected: O1/1's newer version was a mistake, O2/1 had the wrong quantity
    deliver("day2.csv", HEADER + "O2,1,S1,P,c,4,1.00,4.00\n")
    assert _rows(warehouse, quantities) == [("O1", 1, 1), ("O1", 2, 1), ("O2", 1, 4), ("O3", 1, 5)]

    # day1.csv corrected to no line at all: its records leave staging, though no row is new
    deliver("day1.csv", HEADER)
    assert _rows(warehouse, quantities) == [("O2", 1, 4), ("O3", 1, 5)]
    assert _differences(warehouse, tmp_path, "stg_ecommerce__order_lines") == 0


def test_a_correction_that_drops_a_first_delivery_moves_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "omnichannel.duckdb"
    deliver = partial(_deliver, tmp_path / "landing", warehouse, "email/events")
    events = (
        "select event_id, event_type, _file_id, _first_delivery_order "
        "from staging.stg_email__events order by all"
    )
    deliver(
        "day1.csv",
        EMAIL_HEADER + "E1,C,S1,a@x.com,sent,1700000000,,\nE2,C,S2,b@x.com,sent,1700000000,,\n",
    )
    # the ESP sends E1 again (a later file wins) and a new event
    deliver(
        "day2.csv",
        EMAIL_HEADER
        + "E3,C,S3,c@x.com,sent,1700000100,,\nE1,C,S1,a@x.com,delivered,1700000000,,\n",
    )
    day1, day2 = 1, 2
    assert _rows(warehouse, events) == [
        ("E1", "delivered", day2, day1 * 10**9 + 2),
        ("E2", "sent", day1, day1 * 10**9 + 3),
        ("E3", "sent", day2, day2 * 10**9 + 2),
    ]

    # day1.csv corrected without E1: E1 was first delivered by day2.csv, line 3
    deliver("day1.csv", EMAIL_HEADER + "E2,C,S2,b@x.com,opened,1700000000,,\n")
    assert _rows(warehouse, events) == [
        ("E1", "delivered", day2, day2 * 10**9 + 3),
        ("E2", "opened", day1, day1 * 10**9 + 2),
        ("E3", "sent", day2, day2 * 10**9 + 2),
    ]
    assert _differences(warehouse, tmp_path, "stg_email__events") == 0


def test_a_correction_leaves_the_records_it_repeats_as_they_were(tmp_path: Path) -> None:
    warehouse = tmp_path / "omnichannel.duckdb"
    deliver = partial(_deliver, tmp_path / "landing", warehouse, "email/events")
    events = (
        "select event_id, event_type, _source_line, _load_id, _loaded_at "
        "from staging.stg_email__events order by event_id"
    )
    day1 = EMAIL_HEADER + "E1,C,S1,a@x.com,sent,1700000000,,\nE2,C,S2,b@x.com,sent,1700000000,,\n"
    deliver("day1.csv", day1)
    deliver(
        "day2.csv",
        EMAIL_HEADER
        + "E3,C,S3,c@x.com,sent,1700000100,,\nE1,C,S1,a@x.com,delivered,1700000000,,\n"
        + "E4,C,S4,d@x.com,sent,1700000200,,\n",
    )
    e1, e2, e3, _ = _rows(warehouse, events)

    # day1.csv corrected: E1 repeated (its stored version is day2's, its first delivery is
    # day1's line 2), E2 changed; day2.csv corrected: E3 repeated, E1 and E4 swap lines
    deliver("day1.csv", day1.replace("b@x.com,sent", "b@x.com,opened"))
    deliver(
        "day2.csv",
        EMAIL_HEADER
        + "E3,C,S3,c@x.com,sent,1700000100,,\nE4,C,S4,d@x.com,sent,1700000200,,\n"
        + "E1,C,S1,a@x.com,delivered,1700000000,,\n",
    )
    [(day1_load, day1_at), (day2_load, day2_at)] = _rows(
        warehouse,
        "select load_id, loaded_at from audit.load_log where status = 'loaded' order by path",
    )
    assert _rows(warehouse, events) == [
        ("E1", "delivered", 4, day2_load, day2_at),  # moved: restaged, as changed
        ("E2", "opened", 3, day1_load, day1_at),
        e3,  # repeated on its line: as it was
        ("E4", "sent", 3, day2_load, day2_at),
    ]
    assert e1[4] < day1_at and e2[4] < day1_at
    assert _differences(warehouse, tmp_path, "stg_email__events") == 0
