"""Publication of the serving copy, the warehouse lock and the docs server, on small files."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from omni.docs import docs_server
from omni.lock import WarehouseBusy, warehouse_lock
from omni.serving import STORAGE_VERSION, Described, publish, staging_path


def _warehouse(path: Path, customers: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema reference; create schema raw")
    con.execute("create schema audit; create schema staging")
    con.execute(
        "create table marts.dim_customers as select 'C' || range as customer_id, "
        f"range::decimal(18, 2) as total_amount from range({customers})"
    )
    con.execute("create view marts.big_customers as select * from marts.dim_customers limit 2")
    con.execute("create table reference.identity_rules as select 'email' as identifier_type")
    con.execute("create table raw.pos__stores as select 'secret' as store_id")
    con.execute("create table audit.load_log as select 1 as load_id")
    con.execute("create view staging.stg_pos__stores as select * from raw.pos__stores")
    con.close()


def _published(path: Path, run_id: str, descriptions=None):
    con = duckdb.connect(str(path.parent.parent / "wh.duckdb"))
    try:
        return publish(con, path, run_id, descriptions)
    finally:
        con.close()


def _read(path: Path, sql: str) -> list[tuple]:
    """Read in another process: this one caches open databases by path."""
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(repr(con.sql(sys.argv[2]).fetchall()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), sql], capture_output=True, text=True, check=True
    )
    return eval(out.stdout)


def test_publishes_marts_and_reference_only_with_descriptions(tmp_path):
    _warehouse(tmp_path / "wh.duckdb", 5)
    target = tmp_path / "serving" / "wh.duckdb"
    docs = {
        ("marts", "dim_customers"): Described(
            "One row per customer.", {"customer_id": "The customer's id.", "gone": "x"}
        )
    }
    publication = _published(target, "run-1", docs)

    assert publication.rows_by_table == {
        "marts.big_customers": 2,
        "marts.dim_customers": 5,
        "reference.identity_rules": 1,
    }
    assert publication.size_bytes == target.stat().st_size
    assert not staging_path(target).exists()
    tables = _read(
        target,
        "select schema_name, table_name, comment from duckdb_tables() order by all",
    )
    assert tables == [
        ("marts", "big_customers", None),
        ("marts", "dim_customers", "One row per customer."),
        ("meta", "published_tables", tables[2][2]),
        ("reference", "identity_rules", None),
    ]
    assert _read(
        target,
        "select column_name, data_type, comment from duckdb_columns() "
        "where table_name = 'dim_customers' order by column_index",
    ) == [
        ("customer_id", "VARCHAR", "The customer's id."),
        ("total_amount", "DECIMAL(18,2)", None),
    ]
    assert _read(
        target, "select tags['storage_version'] from duckdb_databases() where not internal"
    ) == [(f"{STORAGE_VERSION}+",)]
    assert _read(target, "select distinct run_id from meta.published_tables") == [("run-1",)]


def test_a_reader_holding_the_old_version_neither_blocks_nor_sees_a_mix(tmp_path):
    _warehouse(tmp_path / "wh.duckdb", 5)
    target = tmp_path / "serving" / "wh.duckdb"
    _published(target, "run-1")
    held = duckdb.connect(str(target), read_only=True)
    assert held.sql("select count(*) from marts.dim_customers").fetchone() == (5,)

    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    con.execute("insert into marts.dim_customers select 'X' || range, 1 from range(7)")
    con.close()
    _published(target, "run-2")

    assert held.sql("select count(*) from marts.dim_customers").fetchone() == (5,)
    assert held.sql("select distinct run_id from meta.published_tables").fetchall() == [("run-1",)]
    assert _read(target, "select count(*) from marts.dim_customers") == [(12,)]
    held.close()
    # Once every connection of this process is closed, it opens the new version too.
    reopened = duckdb.connect(str(target), read_only=True)
    assert reopened.sql("select count(*) from marts.dim_customers").fetchone() == (12,)
    reopened.close()


def test_a_failed_publication_leaves_the_previous_version_and_no_leftover(tmp_path):
    _warehouse(tmp_path / "wh.duckdb", 3)
    target = tmp_path / "serving" / "wh.duckdb"
    _published(target, "run-1")
    before = target.read_bytes()
    # A leftover of a publication killed half way is replaced, not published.
    staging_path(target).write_bytes(b"half a file")

    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    con.execute("drop schema marts cascade")
    con.close()
    with pytest.raises(RuntimeError, match="no marts"):
        _published(target, "run-2")
    assert target.read_bytes() == before
    assert not staging_path(target).exists()


def test_a_second_lock_is_refused_with_its_holder_and_released_after(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from omni.lock import warehouse_lock\n"
            "with warehouse_lock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); time.sleep(60)",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(WarehouseBusy, match=rf"pid {holder.pid}, started"),
            warehouse_lock(warehouse),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with warehouse_lock(warehouse):
        assert f"pid {os.getpid()}" in (tmp_path / "wh.duckdb.lock").read_text()
    assert (tmp_path / "wh.duckdb.lock").read_text() == ""


def test_a_dagster_run_takes_the_lock_and_omni_run_lends_it_its_own(tmp_path):
    from orchestration.defs.resources import Warehouse

    warehouse = tmp_path / "wh.duckdb"
    resource = Warehouse(database=str(warehouse), landing_dir=str(tmp_path))
    with dg.build_resources({"warehouse": resource}) as resources:
        assert "Dagster run" in (tmp_path / "wh.duckdb.lock").read_text()
        with pytest.raises(WarehouseBusy, match="Dagster run"):
            _lock_in_another_process(warehouse)
        assert resources.warehouse.database == str(warehouse)
    # omni run holds the lock and executes the Dagster run in its own process
    with warehouse_lock(warehouse), dg.build_resources({"warehouse": resource}):
        assert "omni run" in (tmp_path / "wh.duckdb.lock").read_text()
    assert (tmp_path / "wh.duckdb.lock").read_text() == ""


def _lock_in_another_process(warehouse: Path) -> None:
    """Try the lock from a child process; re-raise its refusal here."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from omni.lock import warehouse_lock\n"
            "with warehouse_lock(Path(sys.argv[1])):\n"
            "    pass",
            str(warehouse),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise WarehouseBusy(result.stderr.strip().splitlines()[-1])


def test_the_docs_server_serves_the_site_on_a_free_port(tmp_path):
    (tmp_path / "index.html").write_text("<title>dbt Docs</title>")
    server = docs_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/", timeout=10) as response:
            assert b"dbt Docs" in response.read()
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(FileNotFoundError, match="omni run"):
        docs_server(tmp_path / "missing", "127.0.0.1", 0)


def test_the_serving_copy_waits_for_every_mart_and_the_docs_for_it():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    published = {key for key in graph.get_all_asset_keys() if key.path[0] in ("marts", "reference")}
    assert dg.AssetKey(["marts", "dim_customers"]) in published
    serving = graph.get(dg.AssetKey(["serving", "omnichannel"]))
    assert set(serving.parent_keys) == published
    assert set(graph.get(dg.AssetKey(["docs", "dbt_docs"])).parent_keys) == {serving.key}
    assert serving.pools == {"warehouse"}
    assert all(graph.get(key).freshness_policy for key in graph.get_all_asset_keys())
