"""Ingestion: one Dagster asset per extract of the landing contract, grouped by source.

Each asset loads the new deliveries of its extract into `raw.<source>__<extract>` (see
`omni.landing.loader`) and reports files and rows loaded and rejected. Its asset check
verifies that the audit trail reconciles: for every file, rows read = loaded + rejected, and
the raw table holds exactly the rows that the current file versions loaded.
"""

from pathlib import Path

import dagster as dg

from omni.contract import EXTRACTS, Extract
from omni.landing.loader import ExtractResult, load_extract
from orchestration.defs.resources import Warehouse

OWNER = "team:data-engineering"
WAREHOUSE_POOL = "warehouse"


def raw_asset_key(extract: Extract) -> dg.AssetKey:
    return dg.AssetKey(["raw", extract.table])


def _files_table(result: ExtractResult) -> str:
    lines = ["| file | status | read | loaded | rejected | error |", "|---|---|---|---|---|---|"]
    for f in result.files:
        error = (f.error or "").replace("|", "/")
        lines.append(
            f"| {f.path} | {f.status} | {f.rows_read} | {f.rows_loaded} | "
            f"{f.rows_rejected} | {error} |"
        )
    return "\n".join(lines)


def _ingest_asset(extract: Extract) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(extract),
        group_name=extract.source,
        owners=[OWNER],
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description=(
            f"{extract.description} Loaded from `{extract.folder}/` "
            f"({extract.file_format}) into `raw.{extract.table}`; bad rows go to "
            "`audit.rejected_rows`, every file to `audit.load_log`."
        ),
        tags={"source": extract.source},
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        with warehouse.connect() as con:
            result = load_extract(con, extract, Path(warehouse.landing_dir), context.run_id)
            table_rows = con.sql(f"select count(*) from raw.{extract.table}").fetchone()[0]
        for f in result.files:
            if f.status in ("failed", "rejected"):
                context.log.warning(f"{f.path}: {f.status}: {f.error}")
        return dg.MaterializeResult(
            metadata={
                "files_loaded": len(result.files),
                "files_unchanged": result.unchanged,
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_rejected": result.rows_rejected,
                "files_by_status": dg.MetadataValue.json(result.status_counts()),
                "files": dg.MetadataValue.md(_files_table(result)),
                "dagster/row_count": table_rows,
            }
        )

    return _asset


def _reconciliation_check(extract: Extract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=raw_asset_key(extract),
        name="load_log_reconciles",
        blocking=True,
        description=(
            "Every file: rows read = loaded + rejected; the raw table holds exactly the rows "
            "loaded by the current version of each file."
        ),
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            unbalanced, logged, in_table = con.execute(
                f"""
                select
                    (select count(*) from audit.load_log
                     where extract = $1 and rows_read <> rows_loaded + rows_rejected),
                    (select coalesce(sum(rows_loaded), 0) from audit.load_log
                     where extract = $1 and status in ('loaded', 'loaded_with_rejects')),
                    (select count(*) from raw.{extract.table})
                """,
                [extract.folder],
            ).fetchone()
        return dg.AssetCheckResult(
            passed=unbalanced == 0 and logged == in_table,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "files_unbalanced": unbalanced,
                "rows_loaded_per_log": logged,
                "rows_in_raw_table": in_table,
            },
        )

    return _check


ingest_assets = [_ingest_asset(e) for e in EXTRACTS]
ingest_checks = [_reconciliation_check(e) for e in EXTRACTS]
