"""Run the whole pipeline in-process through Dagster and summarise what it did."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from omni import settings
from omni.lock import warehouse_lock
from omni.progress import progress_logger
from omni.quality.docs import docs_index

JOB_NAME = "build_warehouse"
LAYERS = ("raw", "staging", "intermediate", "marts")


@dataclass
class RunSummary:
    run_id: str
    success: bool
    rows_by_layer: dict[str, int] = field(default_factory=dict)
    files_by_status: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    blocking_failed: list[str] = field(default_factory=list)
    log_path: Path | None = None
    published: Path | None = None
    data_docs: Path | None = None

    @property
    def ok(self) -> bool:
        return self.success and not self.blocking_failed

    def __str__(self) -> str:
        lines = [f"Run {self.run_id}: {'succeeded' if self.ok else 'FAILED'}", "Rows per layer:"]
        lines += [f"  {layer:<13}{rows:>14,}" for layer, rows in self.rows_by_layer.items()]
        files = ", ".join(f"{n} {status}" for status, n in sorted(self.files_by_status.items()))
        lines.append(f"Files this run: {files or 'none new'}")
        lines.append(
            f"Rows this run: {self.rows_read:,} read = {self.rows_loaded:,} loaded "
            f"+ {self.rows_rejected:,} rejected (see audit.rejected_rows)"
        )
        lines.append(f"Checks: {self.checks_passed} passed, {len(self.checks_failed)} failed")
        lines += [f"  failed: {name}" for name in self.checks_failed]
        if self.blocking_failed:
            lines.append("Blocking failures: " + ", ".join(self.blocking_failed))
        if self.published:
            lines.append(f"Published for analysts: {self.published}")
        else:
            lines.append("Nothing published: readers keep the previous serving copy")
        if self.data_docs:
            lines.append(f"Data quality (Great Expectations Data Docs): {self.data_docs.as_uri()}")
        if self.log_path:
            lines.append(f"Full log (dbt output included): {self.log_path}")
        return "\n".join(lines)


def dagster_instance() -> dg.DagsterInstance:
    """The Dagster instance of the project (`$DAGSTER_HOME` or `.dagster/`)."""
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home())
    return dg.DagsterInstance.get()


def _warehouse_figures(summary: RunSummary) -> None:
    path = settings.warehouse_path()
    if not path.exists():
        return
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.sql(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {LAYERS}"
        ).fetchall()
        counts = dict.fromkeys(LAYERS, 0)
        for schema, table in tables:
            counts[schema] += con.sql(f'select count(*) from {schema}."{table}"').fetchone()[0]
        summary.rows_by_layer = {layer: n for layer, n in counts.items() if n or layer == "raw"}
        audit = con.execute(
            "select status, count(*), sum(rows_read), sum(rows_loaded), sum(rows_rejected) "
            "from audit.load_log where run_id = ? group by status",
            [summary.run_id],
        ).fetchall()
    finally:
        con.close()
    summary.files_by_status = {status: n for status, n, *_ in audit}
    summary.rows_read = sum(r[2] for r in audit)
    summary.rows_loaded = sum(r[3] for r in audit)
    summary.rows_rejected = sum(r[4] for r in audit)


def run_pipeline(
    landing: Path | None = None,
    warehouse: Path | None = None,
    *,
    instance: dg.DagsterInstance | None = None,
    show_progress: bool = True,
) -> RunSummary:
    """Materialise every asset and check of the project in this process.

    Raises `omni.lock.WarehouseBusy` when another `omni run` is writing the warehouse.
    """
    settings.use(landing, warehouse)
    with warehouse_lock(settings.warehouse_path()):
        return _run_locked(instance, show_progress)


def _run_locked(instance: dg.DagsterInstance | None, show_progress: bool) -> RunSummary:
    from orchestration.definitions import defs
    from orchestration.defs.serving import SERVING_KEY

    job = defs.resolve_job_def(JOB_NAME)
    run_config: dict = {}
    if show_progress:
        job = job.with_logger_defs({"progress": progress_logger})
        run_config = {"loggers": {"progress": {}}}
    log_path = settings.PROJECT_ROOT / "logs" / "omni-run.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            instance=instance or dagster_instance(), raise_on_error=False, run_config=run_config
        )
    summary = RunSummary(run_id=result.run_id, success=result.success, log_path=log_path)
    for materialization in result.get_asset_materialization_events():
        if materialization.asset_key == SERVING_KEY:
            summary.published = Path(materialization.materialization.metadata["path"].value)
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.passed:
            summary.checks_passed += 1
            continue
        summary.checks_failed.append(name)
        if evaluation.severity == dg.AssetCheckSeverity.ERROR:
            summary.blocking_failed.append(name)
    _warehouse_figures(summary)
    docs = docs_index(settings.warehouse_path())
    summary.data_docs = docs if docs.exists() else None
    return summary
