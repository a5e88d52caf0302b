"""Incremental staging tables against what the loader really does to raw.

Real loader, real dbt, real DuckDB: hand-made deliveries of `ecommerce/order_lines` are
loaded one after another and `stg_ecommerce__order_lines` is built incrementally after
each; it must equal a --full-refresh rebuild of the same raw rows, row for row, including
after corrected re-deliveries that drop a record's newer version, or every line of a file
(the loader deletes the rows of the file it corrects, which no merge of new rows can undo).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from omni.contract import BY_FOLDER
from omni.landing.loader import load_extract
from tests.integration.conftest import run_dbt
from tests.unit.test_landing_loader import HEADER, write

MODEL = "staging.stg_ecommerce__order_lines"


def _deliver(landing: Path, warehouse: Path, name: str, rows: str) -> None:
    write(landing, "ecommerce/order_lines", name, HEADER + rows)
    with duckdb.connect(str(warehouse)) as con:
        load_extract(con, BY_FOLDER["ecommerce/order_lines"], landing, run_id="test")
    run_dbt(
        ["run", "--select", "stg_ecommerce__order_lines"], warehouse, warehouse.parent / "target"
    )


def _quantities(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(
            f"select order_id, line_number, quantity from {MODEL} order by all"
        ).fetchall()


def _differences(incremental: Path, tmp_path: Path) -> int:
    rebuilt = tmp_path / "rebuilt" / incremental.name
    rebuilt.parent.mkdir()
    shutil.copy(incremental, rebuilt)
    run_dbt(
        ["run", "--full-refresh", "--select", "stg_ecommerce__order_lines"],
        rebuilt,
        tmp_path / "rebuilt" / "target",
    )
    both = duckdb.connect()
    both.execute(f"attach '{incremental}' as incremental (read_only)")
    both.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
    return sum(
        both.sql(
            f"select count(*) from (select * from {a}.{MODEL} except all select * from {b}.{MODEL})"
        ).fetchone()[0]
        for a, b in (("incremental", "rebuilt"), ("rebuilt", "incremental"))
    )


def test_corrected_redeliveries_that_drop_versions_and_records(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "omnichannel.duckdb"
    _deliver(landing, warehouse, "day1.csv", "O1,1,S1,P,c,1,1.00,1.00\nO1,2,S2,P,c,1,2.00,2.00\n")
    # a later file: a newer version of O1/1 (the later file wins), a new order
    _deliver(landing, warehouse, "day2.csv", "O1,1,S1,P,c,2,1.00,2.00\nO2,1,S1,P,c,3,1.00,3.00\n")
    assert _quantities(warehouse) == [("O1", 1, 2), ("O1", 2, 1), ("O2", 1, 3)]

    # day2.csv corrected: O1/1's newer version was a mistake, O2/1 had the wrong quantity
    _deliver(landing, warehouse, "day2.csv", "O2,1,S1,P,c,4,1.00,4.00\n")
    assert _quantities(warehouse) == [("O1", 1, 1), ("O1", 2, 1), ("O2", 1, 4)]

    # day1.csv corrected to no line at all: its records leave staging, though no row is new
    _deliver(landing, warehouse, "day1.csv", "")
    assert _quantities(warehouse) == [("O2", 1, 4)]
    assert _differences(warehouse, tmp_path) == 0
