"""Data quality on the generated sample: every suite passes on clean data, and each planted
defect is caught by the check meant for it and by no other.

Suite by suite, defects are planted in a copy of a clean warehouse and every layer is
validated again; end to end, defects are planted in a copy of the landing zone and the
pipeline runs: warnings build everything, blocking failures build nothing downstream.
"""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from omni.pipeline import run_pipeline
from omni.quality.core import validate_layer
from omni.quality.docs import QualityContext
from omni.quality.registry import LAYERS
from tests.integration.conftest import run_dbt

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def clean(built_sample):
    """The sample built once (shared by the integration tests); never modified here."""
    return built_sample


def _failures(warehouse: Path, run_id: str) -> dict[str, set[str]]:
    """Validate every layer of a warehouse; the failed rules of each failed suite."""
    con = duckdb.connect(str(warehouse))
    try:
        results = [
            result
            for layer in LAYERS
            for result in validate_layer(con, layer, run_id, QualityContext(warehouse))
        ]
    finally:
        con.close()
    return {r.suite.name: {o.rule.name for o in r.failed} for r in results if not r.passed}


def test_every_quality_check_passes_on_clean_data_and_is_kept(clean):
    summary, warehouse, instance = clean
    assert summary.ok and summary.checks_failed == [], str(summary)
    suites = [suite for layer in LAYERS for suite in layer.suites]
    rules = sum(len(suite.rules) for suite in suites)
    con = duckdb.connect(str(warehouse), read_only=True)
    kept = con.execute(
        "select count(*), count(*) filter (where passed), count(distinct asset || check_name) "
        "from audit.quality_results where run_id = ?",
        [summary.run_id],
    ).fetchone()
    con.close()
    assert kept == (rules, rules, len(suites))
    assert summary.data_docs is not None and summary.data_docs.exists()
    assert "Data quality (Great Expectations Data Docs): file://" in str(summary)

    evaluations = [
        record.asset_check_evaluation
        for record in instance.all_logs(
            summary.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
        if record.asset_check_evaluation.check_name == "raw_rows"
    ]
    assert len(evaluations) == 16
    orders = next(e for e in evaluations if e.asset_key.path == ["raw", "ecommerce__orders"])
    assert orders.passed and orders.severity == dg.AssetCheckSeverity.ERROR
    assert orders.metadata["data_docs_index"].value == str(summary.data_docs)
    page = orders.metadata["data_docs_page"].value
    assert Path(page.removeprefix("file://")).exists()
    assert orders.metadata["rows_validated"].value > 0


def _copy(warehouse: Path, tmp_path: Path) -> Path:
    # Same file name: dbt's views name their catalog after it.
    copy = tmp_path / "planted" / warehouse.name
    copy.parent.mkdir()
    shutil.copy(warehouse, copy)
    return copy


# The largest orders delivery: its last row takes the key and version of its first.
BIGGEST = (
    "_load_id = (select _load_id from raw.ecommerce__orders group by _load_id "
    "order by count(*) desc limit 1)"
)
DUPLICATE_ORDER = f"""
    update raw.ecommerce__orders
    set order_id = first.order_id, updated_at = first.updated_at
    from (select order_id, updated_at from raw.ecommerce__orders where {BIGGEST}
          order by _source_line limit 1) as first
    where {BIGGEST} and _source_line = (
        select max(_source_line) from raw.ecommerce__orders where {BIGGEST})
"""
STAGED_ORDERS_LOSE_ONE = """
    delete from staging.stg_ecommerce__orders
    where order_id = (select max(order_id) from staging.stg_ecommerce__orders)
"""
WEB_FILES_OF_AN_EARLIER_RUN = """
    update audit.load_log set run_id = 'an earlier run' where extract = 'web/events';
    insert into audit.load_log
    select 999999, 999999, $run_id, 'web/events', 'web/events/replayed.jsonl', 'h', 1,
        20000, 20000, 0, 'loaded', null, now();
"""
REJECTS_SPIKE = """
    update audit.load_log
    set rows_rejected = 40, rows_loaded = rows_read - 40, status = 'loaded_with_rejects'
    where path = (select path from audit.load_log where extract = 'marketing/spend'
                  order by rows_read desc limit 1)
"""
PLANTED = {
    "an email that is not one": (
        "update raw.loyalty__members set email = ' marie.dupont.example.com ' "
        "where _source_line = 2 and _load_id = (select min(_load_id) from raw.loyalty__members)",
        {"raw.loyalty__members.raw_rows": {"expect_column_values_to_match_regex(email__email)"}},
    ),
    "a duplicated key in a delivery": (
        DUPLICATE_ORDER,
        {"raw.ecommerce__orders.raw_rows": {"expect_column_values_to_be_between(key_copies)"}},
    ),
    "an order whose total does not add up": (
        "update raw.ecommerce__orders set total = cast(total as decimal(18, 2)) + 10 "
        f"where _source_line = 2 and {BIGGEST}",
        {"raw.ecommerce__orders.raw_rows": {"expect_column_values_to_be_between(total_gap)"}},
    ),
    "revenue lost between raw and staging": (
        STAGED_ORDERS_LOSE_ONE,
        {
            "staging.stg_ecommerce__orders.revenue_reconciles": {
                "expect_column_values_to_be_between(records_gap)",
                "expect_column_values_to_be_between(amount_gap)",
            },
            # planted after the build: the marts built from the full staging disagree too
            "marts.fct_orders.revenue_reconciles": {"expect_column_values_to_be_between(gap)"},
        },
    ),
    "a stale source": (
        "update raw.pos__transactions set transaction_local_time = strftime("
        "strptime(transaction_local_time, '%Y-%m-%d %H:%M:%S') - interval 20 days, "
        "'%Y-%m-%d %H:%M:%S')",
        {"raw.pos__transactions.freshness": {"expect_column_values_to_be_between(age_days)"}},
    ),
    "a spike of rejects": (
        REJECTS_SPIKE,
        {
            "raw.marketing__spend.deliveries": {
                "expect_column_values_to_be_between(rejected_over_limit)"
            }
        },
    ),
    "a delivery far above the recent ones": (
        WEB_FILES_OF_AN_EARLIER_RUN,
        {
            "raw.web__events.deliveries": {
                "expect_column_pair_values_a_to_be_greater_than_b(rows_high, rows_judged)"
            }
        },
    ),
    "a source whose records stopped finding customers": (
        "insert into intermediate.int_identity_records_collected "
        "select 'pos/transactions:planted-' || record_id || i, source, extract, "
        "'planted-' || record_id || i, observed_at, record_order, identifiers "
        "from intermediate.int_identity_records_collected, range(3) t(i) where source = 'pos'",
        {
            "intermediate.int_identity_records_clustered.resolved_share": {
                "expect_column_values_to_be_between(share_over_floor)"
            }
        },
    ),
    "a runaway cluster": (
        "insert into intermediate.int_identity_records_clustered "
        "select 'web/events:planted-' || i, anchor_record_key, customer_id, cluster_records "
        "from (select * from intermediate.int_identity_records_clustered limit 1), "
        "range(5001) t(i)",
        {
            "intermediate.int_identity_records_clustered.cluster_sizes": {
                "expect_column_values_to_be_between(records)"
            }
        },
    ),
    "revenue lost between staging and the marts": (
        "delete from marts.fct_orders where order_key = (select min(order_key) "
        "from marts.fct_orders where source = 'ecommerce' and net_revenue_eur > 0)",
        {"marts.fct_orders.revenue_reconciles": {"expect_column_values_to_be_between(gap)"}},
    ),
    "attribution credits that do not sum to 1": (
        "update marts.channel_attribution set credit = credit / 2 "
        "where attribution_model = 'linear' "
        "and order_key = (select min(order_key) from marts.channel_attribution)",
        {
            "marts.channel_attribution.credits_sum_to_one": {
                "expect_column_values_to_be_between(sales_off)"
            }
        },
    ),
    "a source whose interactions lost their customer": (
        "update marts.fct_interactions set customer_id = null where source = 'email'",
        {
            "marts.fct_interactions.customer_share": {
                "expect_column_values_to_be_between(share_over_floor)"
            }
        },
    ),
    "a customer without records": (
        "delete from intermediate.int_identity_records_clustered where customer_id = "
        "(select min(customer_id) from intermediate.int_identity_records_clustered "
        "where cluster_records = 1 and record_key like 'web/%')",
        {
            "marts.dim_customers.clusters_match_customers": {
                "expect_column_values_to_be_between(orphans)"
            }
        },
    ),
}


def test_every_suite_passes_on_the_clean_warehouse(clean, tmp_path):
    summary, warehouse, _ = clean
    assert _failures(_copy(warehouse, tmp_path), summary.run_id) == {}


@pytest.mark.parametrize("defect", list(PLANTED))
def test_a_planted_defect_fails_its_own_check_and_no_other(clean, tmp_path, defect):
    summary, warehouse, _ = clean
    plant, expected = PLANTED[defect]
    copy = _copy(warehouse, tmp_path)
    con = duckdb.connect(str(copy))
    con.execute(plant.replace("$run_id", f"'{summary.run_id}'"))
    con.close()
    if "update raw." in plant:
        # a defect planted in raw reaches staging as the run that loads it would stage it:
        # staging's record models are tables, rebuilt here from the planted raw rows
        restage = ["run", "--full-refresh", "--select", "path:models/staging"]
        run_dbt(restage, copy, tmp_path / "target")
    assert _failures(copy, summary.run_id) == expected


def _edit_csv(path: Path, edit) -> None:
    """Rewrite a delivered CSV (gzip or not) through `edit(rows) -> rows`."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(edit(rows))


def test_warnings_show_but_build_everything(landing_copy, tmp_path, dagster_instance):
    members = landing_copy / "loyalty" / "members" / "members-export-initial-2026-11-07.csv"

    def not_an_email(rows):
        column = rows[0].index("email")
        row = next(r for r in rows[1:] if r[column])
        row[column] = "marie.dupont.example.com"
        return rows

    def bad_amounts(rows):
        column = rows[0].index("spend")
        for row in rows[1:41]:
            row[column] = "12,50"
        return rows

    _edit_csv(members, not_an_email)
    _edit_csv(landing_copy / "marketing" / "spend" / "spend_history_2026-11-07.csv", bad_amounts)
    summary = run_pipeline(
        landing_copy, tmp_path / "wh.duckdb", instance=dagster_instance, show_progress=False
    )
    assert summary.ok, str(summary)
    assert sorted(summary.checks_failed) == [
        "raw/loyalty__members:raw_rows",
        "raw/marketing__spend:deliveries",
    ]
    assert summary.blocking_failed == []
    assert summary.rows_by_layer.get("marts", 0) > 0
    con = duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True)
    failing = con.execute(
        "select asset, check_name, severity, failing_examples::varchar "
        "from audit.quality_results where run_id = ? and not passed order by asset",
        [summary.run_id],
    ).fetchall()
    con.close()
    assert [row[:3] for row in failing] == [
        ("raw/loyalty__members", "raw_rows", "warning"),
        ("raw/marketing__spend", "deliveries", "warning"),
    ]
    assert "marie.dupont.example.com" in failing[0][3]
    assert "members-export-initial-2026-11-07.csv" in failing[0][3]
    assert "spend_history_2026-11-07.csv" in failing[1][3]


def test_blocking_failures_stop_downstream_and_the_cli_exits_non_zero(landing_copy, tmp_path):
    orders = landing_copy / "ecommerce" / "orders" / "orders_2026-11-21.csv"
    _edit_csv(orders, lambda rows: [*rows, rows[1]])
    # The tills stop delivering six days before the end.
    for day in range(16, 22):
        (landing_copy / "pos" / "transactions" / f"POS_TX_202611{day}.csv.gz").unlink(
            missing_ok=True
        )
    env = {
        **os.environ,
        "OMNI_LANDING_DIR": str(landing_copy),
        "OMNI_WAREHOUSE": str(tmp_path / "wh.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "omni.cli", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    assert "CHECK FAILED (error)  raw/ecommerce__orders:raw_rows" in out
    assert "CHECK FAILED (error)  raw/pos__transactions:freshness" in out
    assert out.count("CHECK FAILED") == 2, out[-3000:]
    [blocking] = [line for line in out.splitlines() if line.startswith("Blocking failures: ")]
    assert sorted(blocking.removeprefix("Blocking failures: ").split(", ")) == [
        "raw/ecommerce__orders:raw_rows",
        "raw/pos__transactions:freshness",
    ]
    assert "built    staging/" not in out
    assert "Data quality (Great Expectations Data Docs): file://" in out
