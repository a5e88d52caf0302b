"""Readers and runs side by side: the serving copy, one writer at a time, a killed run."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import sqlalchemy as sa

from omni.cli import EXIT_BUSY
from omni.generate import generate
from tests.conftest import SAMPLE
from tests.integration.conftest import (
    Served,
    finish,
    omni,
    omni_env,
    read_fingerprint,
)

pytestmark = pytest.mark.integration


def _run_id(output: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith("Run ")]
    return line.split()[1].rstrip(":")


def _tables(fingerprint: dict[str, object]) -> dict[str, list]:
    return {name: value for name, value in fingerprint.items() if not name.startswith("_")}


def _winner(served: Served):
    [winner] = [run for run in served.concurrent if run.returncode == 0]
    return winner


def test_both_runs_succeed_and_publish(served: Served):
    assert "Published for analysts: " + str(served.serving) in served.first.stdout
    winner = _winner(served)
    assert "succeeded" in winner.stdout
    assert "Published for analysts: " + str(served.serving) in winner.stdout
    assert served.held_before["_run_id"] == _run_id(served.first.stdout)
    assert served.new_reader["_run_id"] == _run_id(winner.stdout)


def test_the_held_connection_reads_the_old_version_throughout(served: Served):
    assert len(served.held_while_running) >= 5  # read all along the second run
    assert all(seen == served.held_before for seen in served.held_while_running)
    assert served.held_after == served.held_before


def test_a_new_connection_sees_the_new_data(served: Served):
    old, new = served.held_before, served.new_reader
    assert set(old) == set(new)
    # The held-back days bring new records, which change the customers.
    history = "marts.identity_assignment_history"
    assert new[history][0] > old[history][0]
    assert new["marts.dim_customers"][1] != old["marts.dim_customers"][1]
    # The serving copy is exactly the working warehouse's marts after the run.
    con = duckdb.connect(str(served.warehouse), read_only=True)
    try:
        for name, value in new.items():
            if name.startswith("marts."):
                assert con.sql(f"select count(*) from {name}").fetchone()[0] == value[0], name
    finally:
        con.close()


def test_the_instance_shows_the_publication_and_rows_per_mart(served: Served):
    winner_id = _run_id(_winner(served).stdout)
    instance = dg.DagsterInstance.from_config(served.env["DAGSTER_HOME"])
    try:
        event = instance.get_latest_materialization_event(dg.AssetKey(["serving", "omnichannel"]))
        metadata = event.asset_materialization.metadata
        assert event.run_id == winner_id
        assert metadata["path"].value == str(served.serving)
        assert metadata["rows"].value == sum(
            rows for rows, _ in _tables(served.new_reader).values()
        )
        assert metadata["size_bytes"].value == served.serving.stat().st_size
        assert {"tables", "published_at", "table_count"} <= set(metadata)
        [observation] = instance.fetch_observations(
            dg.AssetKey(["marts", "dim_customers"]), limit=1
        ).records
        observed = observation.asset_observation.metadata["dagster/row_count"].value
        assert observed == served.new_reader["marts.dim_customers"][0]
    finally:
        instance.dispose()


def test_of_two_runs_started_at_once_one_writes_and_the_other_is_refused(served: Served):
    codes = sorted(run.returncode for run in served.concurrent)
    assert codes == [0, EXIT_BUSY]
    [refused] = [run for run in served.concurrent if run.returncode == EXIT_BUSY]
    assert "omni run refused: " in refused.stderr
    assert "is being written by another run (omni run, pid " in refused.stderr
    assert "try again when it has finished" in refused.stderr
    assert refused.stdout == ""
    # The warehouse is intact: two runs loaded files, every file reconciles, and the raw
    # tables hold exactly what the load log says.
    con = duckdb.connect(str(served.warehouse), read_only=True)
    try:
        runs, unbalanced = con.sql(
            "select count(distinct run_id), count(*) filter "
            "(where rows_read <> rows_loaded + rows_rejected) from audit.load_log"
        ).fetchone()
        logged = con.sql(
            "select sum(rows_loaded) from audit.load_log "
            "where status in ('loaded', 'loaded_with_rejects')"
        ).fetchone()[0]
        tables = con.sql(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
        in_raw = sum(con.sql(f"select count(*) from raw.{t}").fetchone()[0] for (t,) in tables)
    finally:
        con.close()
    assert (runs, unbalanced) == (2, 0)
    assert logged == in_raw


def test_the_serving_file_is_readable_by_duckdb_1_4(served: Served, tmp_path_factory):
    venv = tmp_path_factory.mktemp("duckdb-1.4")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "duckdb==1.4.*"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(f"duckdb 1.4 could not be installed: {install.stderr.strip()[-500:]}")
    version = subprocess.run(
        [python, "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version.startswith("1.4.")
    assert read_fingerprint(served.serving, python) == served.new_reader


PYTHON_TYPES = {
    "VARCHAR": str,
    "BOOLEAN": bool,
    "BIGINT": int,
    "INTEGER": int,
    "HUGEINT": int,
    "DOUBLE": float,
    "DATE": dt.date,
    "TIMESTAMP": dt.datetime,
    "TIMESTAMP WITH TIME ZONE": dt.datetime,
}


def _python_type(duckdb_type: str) -> type:
    if duckdb_type.startswith("DECIMAL"):
        return decimal.Decimal
    if duckdb_type.endswith("[]"):
        return list
    return PYTHON_TYPES[duckdb_type]


def test_sqlalchemy_with_duckdb_engine_reads_every_mart_with_its_types(served: Served):
    engine = sa.create_engine(f"duckdb:///{served.serving}", connect_args={"read_only": True})
    try:
        inspector = sa.inspect(engine)
        marts = inspector.get_table_names(schema="marts")
        assert {f"marts.{t}" for t in marts} == {
            name for name in served.new_reader if name.startswith("marts.")
        }
        with engine.connect() as con:
            for table_name in marts:
                declared = dict(
                    con.execute(
                        sa.text(
                            "select column_name, data_type from duckdb_columns() "
                            "where schema_name = 'marts' and table_name = :t"
                        ),
                        {"t": table_name},
                    ).fetchall()
                )
                columns = inspector.get_columns(table_name, schema="marts")
                assert [c["name"] for c in columns] == list(declared), table_name
                assert all(c["comment"] for c in columns), f"{table_name}: undocumented column"
                table = sa.Table(table_name, sa.MetaData(), schema="marts", autoload_with=con)
                rows = con.execute(sa.select(table)).fetchall()
                assert len(rows) == served.new_reader[f"marts.{table_name}"][0]
                for column in columns:
                    assert not isinstance(column["type"], sa.types.NullType), column
                    expected = _python_type(declared[column["name"]])
                    values = [row._mapping[column["name"]] for row in rows]
                    assert all(isinstance(v, expected) for v in values if v is not None), (
                        table_name,
                        column["name"],
                    )
    finally:
        engine.dispose()


def test_omni_status_prints_the_last_run_the_serving_copy_and_waiting_files(
    served: Served, tmp_path
):
    winner_id = _run_id(_winner(served).stdout)
    landing = tmp_path / "landing"
    shutil.copytree(served.landing, landing)
    new = landing / "pos" / "stores" / "stores_late_delivery.csv"
    shutil.copy(next((landing / "pos" / "stores").glob("*.csv")), new)
    status = finish(omni(served.env, "status", "--landing", str(landing)), timeout=120)
    assert status.returncode == 0, status.stderr
    assert f"Last run: {winner_id} (build_warehouse) SUCCESS" in status.stdout
    assert "checks: " in status.stdout and " passed, 0 failed" in status.stdout
    assert f"Serving copy: {served.serving}, published " in status.stdout
    assert f"by run {winner_id}: " in status.stdout
    assert "1 files waiting for the next run" in status.stdout
    assert "pos/stores" in status.stdout
    every = finish(omni(served.env, "status"), timeout=120)
    assert "nothing waiting, every delivery is loaded" in every.stdout


def _reopen(warehouse: Path, within: float = 60) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-write once the killed run's processes have all exited.

    The kernel releases a killed process's file locks only when it is gone: a child still
    being reaped may hold DuckDB's lock for a moment after the run's leader has exited.
    """
    deadline = time.monotonic() + within
    while True:
        try:
            return duckdb.connect(str(warehouse))
        except duckdb.IOException as busy:
            if "Could not set lock" not in str(busy) or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_killed_run_a_blocked_run_then_a_run_that_publishes(served: Served, tmp_path):
    warehouse = tmp_path / "warehouse" / "omnichannel.duckdb"
    serving = warehouse.parent / "serving" / warehouse.name
    serving.parent.mkdir(parents=True)
    shutil.copy(served.warehouse, warehouse)
    shutil.copy(served.serving, serving)
    landing = tmp_path / "landing"
    generate(landing, **{**SAMPLE, "seed": SAMPLE["seed"] + 1})
    env = omni_env(landing, warehouse, tmp_path / "dagster_home")
    published = _sha256(serving)

    # SIGKILL the whole run (omni and its dbt) in the middle of the dbt build.
    killed = omni(env, "run", start_new_session=True)
    for line in killed.stdout:
        if "built    staging/" in line:
            break
    time.sleep(2)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    con = _reopen(warehouse)  # read-write, its WAL replayed
    unbalanced = con.sql(
        "select count(*) from audit.load_log where rows_read <> rows_loaded + rows_rejected"
    ).fetchone()[0]
    con.close()
    assert unbalanced == 0
    assert _sha256(serving) == published
    assert not serving.with_name(f".{serving.name}.publishing").exists()

    # A blocking check fails: nothing is published.
    con = duckdb.connect(str(warehouse))
    con.execute(
        "insert into raw.pos__stores select * replace ('S-PLANTED' as store_id) "
        "from raw.pos__stores limit 1"
    )
    con.close()
    blocked = finish(omni(env, "run"))
    assert blocked.returncode == 1, blocked.stdout[-3000:]
    assert "Blocking failures: raw/pos__stores:load_log_reconciles" in blocked.stdout
    assert "Nothing published: readers keep the previous serving copy" in blocked.stdout
    assert _sha256(serving) == published

    con = duckdb.connect(str(warehouse))
    con.execute("delete from raw.pos__stores where store_id = 'S-PLANTED'")
    con.close()
    final = finish(omni(env, "run"))
    assert final.returncode == 0, final.stdout[-3000:] + final.stderr[-3000:]
    assert read_fingerprint(serving)["_run_id"] == _run_id(final.stdout)
    assert _sha256(serving) != published
