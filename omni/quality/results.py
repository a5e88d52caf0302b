"""Every expectation's result, kept in `audit.quality_results` (one row per run and rule).

So that a person can see when a problem started: `select * from audit.quality_results
where not passed order by checked_at`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import duckdb

from omni.landing.schema import AUDIT_DDL
from omni.quality.core import SuiteResult


def record(con: duckdb.DuckDBPyConnection, run_id: str, results: list[SuiteResult]) -> int:
    """Append the results of these suites; return the number of rows written."""
    con.execute(AUDIT_DDL)
    checked_at = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        (
            run_id,
            checked_at,
            "/".join(result.suite.asset),
            result.suite.check,
            outcome.rule.name,
            outcome.rule.reason,
            outcome.rule.severity,
            outcome.passed,
            result.rows,
            outcome.observed_text,
            outcome.unexpected,
            json.dumps(outcome.examples, default=str),
        )
        for result in results
        for outcome in result.outcomes
    ]
    if rows:
        con.executemany(
            "insert into audit.quality_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
    return len(rows)
