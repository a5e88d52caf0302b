"""`omni status`: the last run, its checks, the serving copy and what waits in the landing zone.

The last run and its check results come from the Dagster instance (`.dagster/` or
`$DAGSTER_HOME`), where `omni run`, the schedule and the sensor record them. The serving copy
is read from its own file. Waiting deliveries are the files of the landing zone whose path
and content are not in `audit.load_log` yet: the working warehouse is opened read-only for
that one query only (a reader holding it would block the next run); while a run is writing
it, the count is skipped and said so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.events import DagsterEventType

from omni.contract import EXTRACTS
from omni.landing.discover import discover


@dataclass
class RunReport:
    run_id: str
    job_name: str
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    steps_failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ServingReport:
    path: Path
    run_id: str
    published_at: datetime
    tables: int
    rows: int
    size_bytes: int


def _when(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


def last_run(instance: dg.DagsterInstance) -> RunReport | None:
    """The most recent run of the instance, its failed steps and its check results."""
    records = instance.get_run_records(limit=1)
    if not records:
        return None
    record = records[0]
    run = record.dagster_run
    report = RunReport(
        run_id=run.run_id,
        job_name=run.job_name,
        status=run.status.value,
        started_at=_when(record.start_time),
        ended_at=_when(record.end_time),
    )
    checks = instance.get_records_for_run(
        run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    for check in checks:
        evaluation = check.event_log_entry.dagster_event.event_specific_data
        if evaluation.passed:
            report.checks_passed += 1
        else:
            report.checks_failed.append(
                f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name} "
                f"({evaluation.severity.value.lower()})"
            )
    failures = instance.get_records_for_run(
        run.run_id, of_type=DagsterEventType.STEP_FAILURE
    ).records
    for failure in failures:
        event = failure.event_log_entry.dagster_event
        error = event.event_specific_data.error
        while error.cause is not None:
            error = error.cause
        message = error.message.strip().splitlines()[0] if error.message.strip() else ""
        report.steps_failed.append(f"{event.step_key}: {message}")
    return report


def serving_report(path: Path) -> ServingReport | None:
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        run_id, published_at, tables, rows = con.sql(
            "select any_value(run_id), max(published_at), count(*), sum(row_count) "
            "from meta.published_tables"
        ).fetchone()
    finally:
        con.close()
    return ServingReport(path, run_id, published_at, tables, rows, path.stat().st_size)


@dataclass(frozen=True)
class LoadLog:
    loaded: set[tuple[str, str]]
    """(path, content hash) of every file in the load log."""
    problems: list[tuple[str, str, str]]
    """(path, status, error) of the files the given run rejected whole or could not read."""


def read_load_log(warehouse: Path, run_id: str | None) -> LoadLog | None:
    """What `audit.load_log` knows; None while a run writes the warehouse."""
    if not warehouse.exists():
        return LoadLog(set(), [])
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException:
        return None
    try:
        has_log = con.sql(
            "select count(*) from information_schema.tables "
            "where table_schema = 'audit' and table_name = 'load_log'"
        ).fetchone()[0]
        if not has_log:
            return LoadLog(set(), [])
        loaded = set(con.sql("select path, content_hash from audit.load_log").fetchall())
        problems = con.execute(
            "select path, status, coalesce(error, '') from audit.load_log "
            "where run_id = ? and status in ('rejected', 'failed') order by path",
            [run_id],
        ).fetchall()
    finally:
        con.close()
    return LoadLog(loaded, problems)


def waiting_deliveries(landing: Path, loaded: set[tuple[str, str]]) -> dict[str, int]:
    """Files per extract folder whose path and content the load log does not have yet."""
    waiting: Counter[str] = Counter()
    for extract in EXTRACTS:
        for delivery in discover(landing, extract):
            if (delivery.rel_path, delivery.content_hash()) not in loaded:
                waiting[extract.folder] += 1
    return dict(sorted(waiting.items()))


def _format_time(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "-"


def render(
    run: RunReport | None,
    serving: ServingReport | None,
    serving_path: Path,
    landing: Path,
    load_log: LoadLog | None,
) -> str:
    lines: list[str] = []
    if run is None:
        lines.append("Last run: none recorded in this Dagster instance")
    else:
        took = ""
        if run.started_at and run.ended_at:
            took = f", took {(run.ended_at - run.started_at).total_seconds():.0f} s"
        lines.append(
            f"Last run: {run.run_id} ({run.job_name}) {run.status}, "
            f"started {_format_time(run.started_at)}{took}"
        )
        lines.append(f"  checks: {run.checks_passed} passed, {len(run.checks_failed)} failed")
        lines += [f"  check failed: {name}" for name in run.checks_failed]
        lines += [f"  step failed: {step}" for step in run.steps_failed]
        if load_log is not None:
            lines += [
                f"  file {status}: {path}: {error}" for path, status, error in load_log.problems
            ]
    if serving is None:
        lines.append(f"Serving copy: {serving_path} not published yet")
    else:
        lines.append(
            f"Serving copy: {serving.path}, published {_format_time(serving.published_at)} "
            f"by run {serving.run_id}: {serving.tables} tables, {serving.rows:,} rows, "
            f"{serving.size_bytes / 1e6:.1f} MB"
        )
    waiting = None if load_log is None else waiting_deliveries(landing, load_log.loaded)
    if waiting is None:
        lines.append(f"Landing zone {landing}: a run is writing the warehouse; not compared now")
    elif not waiting:
        lines.append(f"Landing zone {landing}: nothing waiting, every delivery is loaded")
    else:
        lines.append(
            f"Landing zone {landing}: {sum(waiting.values())} files waiting for the next run"
        )
        lines += [f"  {folder:<28}{count:>6}" for folder, count in waiting.items()]
    return "\n".join(lines)


def status(instance: dg.DagsterInstance, warehouse: Path, serving_path: Path, landing: Path) -> str:
    run = last_run(instance)
    load_log = read_load_log(warehouse, run.run_id if run else None)
    return render(run, serving_report(serving_path), serving_path, landing, load_log)
