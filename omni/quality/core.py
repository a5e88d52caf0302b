"""Suites, rules and their validation with Great Expectations (its pandas route).

A `Suite` guards one asset. Its `query` (DuckDB SQL, `$run_id` = the Dagster run) returns the
frame to validate: the rows that this run loaded, or aggregates computed in DuckDB, so that
the cost follows what a run brings and not the size of the warehouse. Rows are fetched in
chunks of at most `CHUNK_ROWS`, each validated on its own; rules that compare rows with each
other (duplicates) are therefore computed in the query (a window count), never across chunks.

A `Rule` is one expectation with its reason (shown in Data Docs as the expectation's notes)
and its severity: a failed blocking rule fails the asset check with ERROR severity, which
stops the assets downstream; a failed warning shows and stops nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier
from great_expectations.expectations.metadata_types import FailureSeverity

from omni.quality.docs import QualityContext

# 2048 rows per DuckDB vector: chunks of at most 499,712 rows.
CHUNK_VECTORS = 244
CHUNK_ROWS = CHUNK_VECTORS * 2048
EXAMPLES = 5


@dataclass(frozen=True)
class Rule:
    """One expectation, why it holds, and whether its failure blocks downstream assets."""

    expectation: gxe.Expectation
    reason: str
    blocking: bool = False

    def __post_init__(self) -> None:
        self.expectation.notes = self.reason
        self.expectation.severity = (
            FailureSeverity.CRITICAL if self.blocking else FailureSeverity.WARNING
        )

    @property
    def severity(self) -> str:
        return "blocking" if self.blocking else "warning"

    @property
    def name(self) -> str:
        """The expectation and what it looks at: `expect_column_values_to_not_be_null(id)`."""
        fields = self.expectation.configuration.kwargs
        columns = fields.get("column_list") or [
            fields[key] for key in ("column", "column_A", "column_B") if key in fields
        ]
        return f"{self.expectation.expectation_type}({', '.join(columns)})"


@dataclass(frozen=True)
class Suite:
    """The rules that guard one asset, and the query giving the frame they validate."""

    asset: tuple[str, ...]
    check: str
    query: str
    rules: tuple[Rule, ...]
    description: str
    # Columns that name a failing row in the examples (file and line, or a source...).
    index_columns: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{'.'.join(self.asset)}.{self.check}"

    @property
    def blocking(self) -> bool:
        return any(rule.blocking for rule in self.rules)


@dataclass(frozen=True)
class Layer:
    """A suite module: its suites run together in one Dagster step."""

    name: str
    suites: tuple[Suite, ...]
    # SQL run once before the suites (temp tables of aggregates they share); `$run_id`.
    prepare: str = ""


@dataclass
class Outcome:
    rule: Rule
    passed: bool = True
    elements: int = 0
    unexpected: int | None = None
    observed: Any = None
    examples: list[Any] = field(default_factory=list)

    @property
    def observed_text(self) -> str:
        if self.unexpected is not None:
            return f"{self.unexpected:,} of {self.elements:,} rows unexpected"
        return json.dumps(self.observed, default=str)


@dataclass
class SuiteResult:
    suite: Suite
    outcomes: list[Outcome]
    rows: int
    identifier: ValidationResultIdentifier
    docs_page: str | None = None

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def blocking_failed(self) -> bool:
        return any(not o.passed and o.rule.blocking for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]


def _execute(con: duckdb.DuckDBPyConnection, sql: str, run_id: str) -> duckdb.DuckDBPyConnection:
    return con.execute(sql, {"run_id": run_id} if "$run_id" in sql else {})


def _frames(con: duckdb.DuckDBPyConnection, suite: Suite, run_id: str) -> Iterator[pd.DataFrame]:
    """The suite's frame in chunks; at least one, empty if the query returns nothing."""
    cursor = _execute(con, suite.query, run_id)
    frame = cursor.fetch_df_chunk(CHUNK_VECTORS)
    yield frame
    while len(frame) == CHUNK_ROWS:
        frame = cursor.fetch_df_chunk(CHUNK_VECTORS)
        if frame.empty:
            return
        yield frame


def _plain(value: Any) -> Any:
    """A value of a failing example as plain JSON (numpy scalars, NA and NaT unwrapped)."""
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "item"):
        return _plain(value.item())
    return str(value)


def _merge(outcome: Outcome, result: Any) -> None:
    """Fold one chunk's expectation result into the rule's outcome."""
    outcome.passed = outcome.passed and bool(result.success)
    if result.exception_info and result.exception_info.get("raised_exception"):
        outcome.passed = False
        outcome.observed = result.exception_info.get("exception_message")
        return
    details = result.result or {}
    if "unexpected_count" in details:
        outcome.elements += details.get("element_count") or 0
        outcome.unexpected = (outcome.unexpected or 0) + (details["unexpected_count"] or 0)
        examples = details.get("partial_unexpected_index_list") or details.get(
            "partial_unexpected_list", []
        )
        outcome.examples.extend(examples[: EXAMPLES - len(outcome.examples)])
    else:
        outcome.observed = details.get("observed_value")


def validate(
    con: duckdb.DuckDBPyConnection, suite: Suite, run_id: str, context: QualityContext
) -> SuiteResult:
    """Validate the suite's frame, chunk by chunk, and keep the result for Data Docs."""
    definition = context.validation_definition(suite)
    result_format = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": EXAMPLES,
        "unexpected_index_column_names": list(suite.index_columns),
    }
    outcomes = [Outcome(rule) for rule in suite.rules]
    rows = 0
    gx_run = RunIdentifier(run_name=run_id, run_time=datetime.now(UTC))
    # Chunks share the run and the batch: the stored result (and its page) is the last one.
    identifier = None
    for frame in _frames(con, suite, run_id):
        rows += len(frame)
        validation = definition.run(
            batch_parameters={"dataframe": frame}, result_format=result_format, run_id=gx_run
        )
        identifier = context.result_identifier(suite, validation, gx_run)
        by_id = {r.expectation_config.id: r for r in validation.results}
        for outcome, expectation in zip(outcomes, definition.suite.expectations, strict=True):
            _merge(outcome, by_id[expectation.id])
    for outcome in outcomes:
        outcome.examples = [_plain(example) for example in outcome.examples]
    assert identifier is not None  # _frames yields at least one frame
    return SuiteResult(suite, outcomes, rows, identifier, docs_page=context.page(identifier))


def validate_layer(
    con: duckdb.DuckDBPyConnection,
    layer: Layer,
    run_id: str,
    context: QualityContext,
    selected: set[str] | None = None,
) -> list[SuiteResult]:
    """Validate the layer's suites (or the `selected` suite names) and render their pages."""
    if layer.prepare:
        _execute(con, layer.prepare, run_id)
    results = [
        validate(con, suite, run_id, context)
        for suite in layer.suites
        if selected is None or suite.name in selected
    ]
    context.build([r.identifier for r in results])
    return results
