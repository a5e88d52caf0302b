"""The quality framework on hand-made DuckDB tables: rules, chunked validation, results, docs."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import great_expectations.expectations as gxe
import pytest

from omni.contract import EXTRACTS
from omni.quality import core
from omni.quality.core import Layer, Rule, Suite, validate_layer
from omni.quality.docs import docs_index, quality_context
from omni.quality.registry import LAYERS
from omni.quality.results import record
from orchestration.defs.quality import check_key, quality_checks


def _suite(query: str) -> Suite:
    return Suite(
        asset=("raw", "things"),
        check="things_ok",
        query=query,
        rules=(
            Rule(gxe.ExpectColumnValuesToNotBeNull(column="id"), "ids", blocking=True),
            Rule(gxe.ExpectColumnValuesToBeBetween(column="n", max_value=10), "small n"),
        ),
        description="things",
        index_columns=("line",),
    )


@pytest.fixture
def warehouse(tmp_path: Path) -> tuple[Path, duckdb.DuckDBPyConnection]:
    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "create table things as select i as line, case when i = 7 then null else i end as id, "
        "case when i in (3, 5000) then 99 else 1 end as n from range(1, 6001) t(i)"
    )
    yield path, con
    con.close()


def test_a_rule_carries_its_reason_and_severity_into_the_expectation():
    blocking = Rule(gxe.ExpectColumnValuesToNotBeNull(column="id"), "ids exist", blocking=True)
    warning = Rule(gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="a", column_B="b"), "w")
    assert blocking.expectation.notes == "ids exist"
    assert blocking.expectation.severity.value == "critical" and blocking.severity == "blocking"
    assert warning.expectation.severity.value == "warning" and warning.severity == "warning"
    assert blocking.name == "expect_column_values_to_not_be_null(id)"
    assert warning.name == "expect_column_pair_values_a_to_be_greater_than_b(a, b)"


def test_validation_in_chunks_adds_up_and_names_failing_rows(warehouse, monkeypatch):
    path, con = warehouse
    # Three chunks of 2,048 rows for 6,000 rows: failures in the first and the last chunk.
    monkeypatch.setattr(core, "CHUNK_VECTORS", 1)
    monkeypatch.setattr(core, "CHUNK_ROWS", 2048)
    layer = Layer("things", (_suite("select * from things order by line"),))
    [result] = validate_layer(con, layer, "run-1", quality_context(path))
    assert result.rows == 6000
    ids, small = result.outcomes
    assert (ids.passed, ids.unexpected, ids.elements) == (False, 1, 6000)
    assert ids.examples == [{"id": None, "line": 7}]
    assert (small.passed, small.unexpected) == (False, 2)
    assert [e["line"] for e in small.examples] == [3, 5000]
    assert result.blocking_failed and not result.passed
    assert docs_index(path).exists()
    assert result.docs_page and Path(result.docs_page.removeprefix("file://")).exists()


def test_an_empty_frame_passes_row_rules_and_a_prepare_step_runs_first(warehouse):
    path, con = warehouse
    layer = Layer(
        "things",
        (_suite("select * from quality_things where line > $run_id::int"),),
        prepare="create or replace temp table quality_things as select * from things "
        "where line <= $run_id::int",
    )
    [result] = validate_layer(con, layer, "100", quality_context(path))
    assert result.rows == 0 and result.passed


def test_results_are_kept_one_row_per_rule(warehouse):
    path, con = warehouse
    layer = Layer("things", (_suite("select * from things"),))
    results = validate_layer(con, layer, "run-1", quality_context(path))
    assert record(con, "run-1", results) == 2
    rows = con.sql(
        "select check_name, severity, passed, rows_validated, observed_value, unexpected_count, "
        "failing_examples from audit.quality_results order by expectation"
    ).fetchall()
    assert rows[0][:6] == ("things_ok", "warning", False, 6000, "2 of 6,000 rows unexpected", 2)
    assert rows[1][:6] == ("things_ok", "blocking", False, 6000, "1 of 6,000 rows unexpected", 1)
    assert json.loads(rows[1][6]) == [{"id": None, "line": 7}]


def test_every_suite_guards_an_asset_of_the_project_once():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = [check_key(s) for layer in LAYERS for s in layer.suites]
    assert len(keys) == len(set(keys))
    assert {key.asset_key for key in keys} <= graph.get_all_asset_keys()
    assert len(quality_checks) == len(LAYERS)
    specs = {spec.key: spec for check in quality_checks for spec in check.check_specs}
    assert set(specs) == set(keys)
    raw_rows = specs[dg.AssetCheckKey(dg.AssetKey(["raw", "ecommerce__orders"]), "raw_rows")]
    assert raw_rows.blocking and "**blocking**" in raw_rows.description
    assert "**warning**" in raw_rows.description
    # Every extract has its raw suite and its deliveries suite.
    for extract in EXTRACTS:
        for check in ("raw_rows", "deliveries"):
            assert dg.AssetCheckKey(dg.AssetKey(["raw", extract.table]), check) in specs
