"""The whole pipeline (Dagster -> DuckDB -> dbt) on a generated sample, against its truth."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from omni.contract import EXTRACTS
from omni.generate import generate, truth_dir_for
from omni.landing.loader import load_extract
from omni.pipeline import run_pipeline
from tests.conftest import SAMPLE
from tests.integration.conftest import run_dbt

pytestmark = pytest.mark.integration

# when a run wrote the row (int_web_events_sessionized rewrites only the sessions that changed)
WRITE_TIME_COLUMNS = {"_sessionized_at"}
INCREMENTAL_MODELS = {
    "staging": (
        "stg_web__events",
        "stg_app__events",
        "stg_email__events",
        "stg_ecommerce__orders",
        "stg_ecommerce__order_lines",
        "stg_ecommerce__accounts",
        "base_pos__transactions",
        "stg_call_center__calls",
        "stg_support__tickets",
        "stg_social__interactions",
        "stg_direct_mail__sends",
        "stg_loyalty__members",
    ),
    "intermediate": (
        "int_web_events_sessionized",
        "int_sale_touches_collected",
        "int_sale_touches_credited",
        "int_customer_purchases_aggregated",
        "int_customer_contacts_localized",
        "int_customer_acquisitions_identified",
        "int_customer_last_messages_evaluated",
        "int_customer_interactions_summarized",
        "int_journey_transitions_sequenced",
        "int_first_sales_identified",
        "int_customer_channels_ranked",
        "int_campaign_customers_reached",
        "int_customer_figures_joined",
        # a table rebuilt on every run from incremental intermediates
        "int_customer_standings_evaluated",
    ),
    # with a table rebuilt on every run from incremental intermediates (the view
    # marts.customer_360 is compared apart)
    "marts": (
        "fct_orders",
        "fct_interactions",
        "channel_attribution",
        "campaign_performance",
    ),
}

WHOLE_FILE_DEFECTS = {
    "wrong_encoding",
    "header_renamed",
    "header_missing_column",
    "header_extra_column",
}


def compared_columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> str:
    """The select list that compares a model's rows across two builds: doubles summed in
    another order may differ in their last bits; the time a run wrote a row is not data."""
    return ", ".join(
        f"round({name}, 6)" if kind in ("DOUBLE", "FLOAT") else name
        for name, kind in con.sql(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ? "
            "order by ordinal_position",
            params=[catalog, schema, table],
        ).fetchall()
        if name not in WRITE_TIME_COLUMNS
    )


def read_truth(truth: Path, name: str) -> list[dict[str, str]]:
    with (truth / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def built(built_sample):
    return built_sample


def test_the_run_succeeds_and_every_check_passes(built):
    summary, _, _ = built
    assert summary.ok, str(summary)
    assert summary.checks_failed == []
    assert summary.checks_passed >= 100  # 16 reconciliations + the dbt tests


def test_every_extract_has_rows_in_raw_and_staging(built):
    _, warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    for extract in EXTRACTS:
        assert con.sql(f"select count(*) from raw.{extract.table}").fetchone()[0] > 0, extract
    staging = con.sql(
        "select table_name from information_schema.tables where table_schema = 'staging' "
        "and table_name like 'stg_%'"
    ).fetchall()
    assert len(staging) == 16
    for (view,) in staging:
        assert con.sql(f"select count(*) from staging.{view}").fetchone()[0] > 0, view


def test_each_file_outcome_matches_the_truth(built, sample_truth):
    _, warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    log = {
        path: (status, read, loaded, rejected)
        for path, status, read, loaded, rejected in con.sql(
            "select path, status, rows_read, rows_loaded, rows_rejected from audit.load_log"
        ).fetchall()
    }
    assert all(read == loaded + rejected for _, read, loaded, rejected in log.values())
    for row in read_truth(sample_truth, "files.csv"):
        path, defect = row["path"], row["defect"]
        written, bad = int(row["rows_written"]), int(row["rows_bad"])
        if defect == "ignored":
            assert path not in log
            continue
        status, read, loaded, rejected = log[path]
        if defect == "duplicate_content":
            assert status == "duplicate"
        elif defect == "empty_file":
            assert status == "empty"
        elif defect in WHOLE_FILE_DEFECTS:
            assert (status, loaded, rejected) == ("rejected", 0, written), path
        else:
            assert (read, loaded, rejected) == (written, written - bad, bad), (path, defect)


def test_rejected_lines_are_exactly_the_bad_rows(built, sample_truth):
    _, warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    whole = {
        r["path"]
        for r in read_truth(sample_truth, "files.csv")
        if r["defect"] in WHOLE_FILE_DEFECTS
    }
    rejected = {
        (path, line)
        for path, line in con.sql("select path, line from audit.rejected_rows").fetchall()
        if path not in whole
    }
    expected = {(r["path"], int(r["line"])) for r in read_truth(sample_truth, "bad_rows.csv")}
    assert rejected == expected
    reasons = con.sql("select count(*) from audit.rejected_rows where reason is null").fetchone()
    assert reasons[0] == 0


def test_staging_keeps_the_latest_version_of_each_record(built, sample_truth):
    import pyarrow.parquet as pq

    _, warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    records = pq.read_table(sample_truth / "record_persons.parquet").to_pylist()
    expected = {}
    for record in records:
        key = f"{record['source']}/{record['extract']}"
        expected[key] = expected.get(key, 0) + 1
    for model, key in (
        ("stg_ecommerce__orders", "ecommerce/orders"),
        ("stg_ecommerce__accounts", "ecommerce/accounts"),
        ("stg_loyalty__members", "loyalty/members"),
        ("stg_support__tickets", "support/tickets"),
        ("stg_pos__transactions", "pos/transactions"),
        ("stg_call_center__calls", "call_center/calls"),
    ):
        assert con.sql(f"select count(*) from staging.{model}").fetchone()[0] == expected[key], (
            model
        )
    distinct_messages = con.sql(
        "select count(distinct message_id) from raw.web__events"
    ).fetchone()[0]
    assert (
        con.sql("select count(*) from staging.stg_web__events").fetchone()[0] == distinct_messages
    )


def test_identifiers_are_normalised_in_staging(built):
    _, warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    contacts = " union all ".join(
        f"select '{model}' as model, email, email_canonical, phone, has_placeholder_email, "
        f"has_placeholder_phone from staging.{model}"
        for model in ("stg_ecommerce__accounts", "stg_ecommerce__orders", "stg_loyalty__members")
    )
    bad = con.sql(
        f"""
        select count(*) filter (where email <> lower(trim(email))),
               count(*) filter (where phone is not null
                   and not regexp_full_match(phone, '\\+(33[1-9][0-9]{{8}}|1[2-9][0-9]{{9}})')),
               count(*) filter (where email_canonical like '%+%'),
               count(*) filter (where email_canonical like '%gmail.com'
                   and split_part(email_canonical, '@', 1) like '%.%'),
               count(*) filter (where has_placeholder_email and email is not null),
               count(*) filter (where has_placeholder_phone and phone is not null),
               count(*) filter (where email in ('noemail@store.com', 'none@none.com', 'a@a.com'))
        from ({contacts})
        """
    ).fetchone()
    assert bad == (0, 0, 0, 0, 0, 0, 0)
    flagged = con.sql(
        f"select count(*) filter (where has_placeholder_email), "
        f"count(*) filter (where has_placeholder_phone) from ({contacts})"
    ).fetchone()
    assert flagged[0] > 0 and flagged[1] > 0
    staff_cards = con.sql(
        "select count(*) filter (where is_staff_card), count(*) filter (where card_number "
        "= '6034000000000000') from staging.stg_pos__transactions"
    ).fetchone()
    assert staff_cards[0] > 0 and staff_cards[1] == 0


def test_the_cli_runs_and_a_second_run_loads_nothing(tmp_path, sample_landing):
    env = {
        **os.environ,
        "OMNI_LANDING_DIR": str(sample_landing),
        "OMNI_WAREHOUSE": str(tmp_path / "cli.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    omni = [sys.executable, "-m", "omni.cli", "run"]
    first = subprocess.run(omni, env=env, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "succeeded" in first.stdout
    second = subprocess.run(omni, env=env, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stdout[-3000:]
    assert "Files this run: none new" in second.stdout
    assert "Rows this run: 0 read = 0 loaded + 0 rejected" in second.stdout
    con = duckdb.connect(str(tmp_path / "cli.duckdb"), read_only=True)
    runs = con.sql("select count(distinct run_id) from audit.load_log").fetchone()[0]
    assert runs == 1
    con.close()

    # A row that no delivery brought: the blocking reconciliation check fails, the dbt
    # models downstream of it are not built, and the command exits non-zero.
    con = duckdb.connect(str(tmp_path / "cli.duckdb"))
    con.execute(
        "insert into raw.pos__stores select * replace ('S-PLANTED' as store_id) "
        "from raw.pos__stores limit 1"
    )
    con.close()
    third = subprocess.run(omni, env=env, capture_output=True, text=True, timeout=900)
    assert third.returncode == 1, third.stdout[-3000:]
    assert "CHECK FAILED (error)  raw/pos__stores:load_log_reconciles" in third.stdout
    assert "Blocking failures: raw/pos__stores:load_log_reconciles" in third.stdout
    assert "built    staging/stg_pos__stores" not in third.stdout


def test_new_deliveries_and_a_corrected_redelivery(tmp_path, dagster_instance):
    landing = tmp_path / "landing"
    warehouse = tmp_path / "omnichannel.duckdb"
    generate(landing, **SAMPLE, hold_back=3)
    first = run_pipeline(landing, warehouse, instance=dagster_instance, show_progress=False)
    assert first.ok, str(first)
    # a nightly run stopped after the change trackers: two more days loaded, the trackers
    # flag their customers and sales, the models that recompute them are never built
    generate(landing, **SAMPLE, hold_back=1)
    con = duckdb.connect(str(warehouse))
    for extract in EXTRACTS:
        load_extract(con, extract, landing)
    con.close()
    run_dbt(
        ["run", "--select", "+int_customer_changes_detected", "+int_sale_changes_detected"],
        warehouse,
        tmp_path / "target",
    )
    generate(landing, **SAMPLE, hold_back=0)
    second = run_pipeline(landing, warehouse, instance=dagster_instance, show_progress=False)
    assert second.ok, str(second)
    assert second.rows_loaded > 0

    truth = truth_dir_for(landing)
    [redelivered] = [
        r["path"] for r in read_truth(truth, "files.csv") if r["defect"] == "corrected_redelivery"
    ]
    con = duckdb.connect(str(warehouse), read_only=True)
    statuses = [
        s
        for (s,) in con.execute(
            "select status from audit.load_log where path = ? order by load_id", [redelivered]
        ).fetchall()
    ]
    assert statuses[0] == "superseded" and statuses[-1].startswith("loaded")
    loaded = con.execute(
        "select count(*) from raw.ecommerce__orders where _source_file = ?", [redelivered]
    ).fetchone()[0]
    [row] = [r for r in read_truth(truth, "files.csv") if r["path"] == redelivered]
    assert loaded == int(row["rows_written"]) - int(row["rows_bad"])
    unbalanced = con.sql(
        "select count(*) from audit.load_log where rows_read <> rows_loaded + rows_rejected"
    ).fetchone()[0]
    assert unbalanced == 0

    # the incremental models after the new deliveries equal a full rebuild of the same data
    con.close()
    rebuilt = tmp_path / "rebuilt" / warehouse.name
    rebuilt.parent.mkdir()
    shutil.copy(warehouse, rebuilt)
    run_dbt(
        [
            "run",
            "--full-refresh",
            "--select",
            *[model for models in INCREMENTAL_MODELS.values() for model in models],
        ],
        rebuilt,
        tmp_path / "target",
    )
    both = duckdb.connect()
    both.execute(f"attach '{warehouse}' as incremental (read_only)")
    both.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
    for schema, models in INCREMENTAL_MODELS.items():
        for model in models:
            table = f"{schema}.{model}"
            assert both.sql(f"select count(*) from incremental.{table}").fetchone()[0] > 0, table
            columns = compared_columns(both, "incremental", schema, model)
            for a, b in (("incremental", "rebuilt"), ("rebuilt", "incremental")):
                differing = both.sql(
                    f"select count(*) from (select {columns} from {a}.{table} "
                    f"except all select {columns} from {b}.{table})"
                ).fetchone()[0]
                assert differing == 0, f"{table}: {differing} rows of {a} not in {b}"

    # the changed customers' timeline rows were selected once (int_customer_timelines_selected)
    # and the customer models read them there; after a tracker run that table does not
    # know, they look their customers up in the timeline itself
    selected, since, missing, extra = both.sql(
        """
        with
        selection as (
            select * from incremental.intermediate.int_customer_timelines_selected
        ),
        flagged as (
            select interaction_id from incremental.marts.fct_interactions
            where customer_id in (
                select customer_id from incremental.intermediate.int_customer_changes_detected
                where changed_at > (select min(_selected_since) from selection)
            )
        )
        select
            (select count(*) from selection),
            (select min(_selected_since) from selection),
            (select count(*) from (from flagged except select interaction_id from selection)),
            (select count(*) from (select interaction_id from selection except from flagged))
        """
    ).fetchone()
    both.close()

    # customer_360 is a view, which names the catalog it was created in: each warehouse
    # reads its own, on a connection of its own
    views = []
    for path in (warehouse, rebuilt):
        con = duckdb.connect(str(path), read_only=True)
        columns = compared_columns(con, path.stem, "marts", "customer_360")
        views.append(Counter(con.sql(f"select {columns} from marts.customer_360").fetchall()))
        con.close()
    assert sum(views[0].values()) > 0
    only_rebuilt, only_incremental = views[1] - views[0], views[0] - views[1]
    assert not only_rebuilt and not only_incremental, (
        f"customer_360: {only_incremental.total()} rows only incremental, "
        f"{only_rebuilt.total()} only rebuilt"
    )
    assert selected > 0 and since is not None
    assert (missing, extra) == (0, 0)
    target = tmp_path / "target"
    compiled = (
        target
        / "compiled/omnichannel/models/intermediate/customers"
        / "int_customer_interactions_summarized.sql"
    )
    run_dbt(["compile", "--select", "int_customer_interactions_summarized"], warehouse, target)
    assert "int_customer_timelines_selected" in compiled.read_text()
    tracker = ["--select", "int_customer_changes_detected"]
    run_dbt(["run", "--full-refresh", *tracker], warehouse, target)
    run_dbt(["compile", "--select", "int_customer_interactions_summarized"], warehouse, target)
    assert "int_customer_timelines_selected" not in compiled.read_text()
    assert "fct_interactions" in compiled.read_text()
