"""Serving: publish what analysts read, and the dbt documentation site, after every build.

`serving/omnichannel` depends on every mart and reference seed, so a failed step or a failed
blocking check upstream skips it and the previous serving file stays as it was (see
`omni.serving`). `docs/dbt_docs` runs `dbt docs generate` after the publication, into
`docs/` beside the working warehouse; `omni docs` serves it.
"""

import json
from collections.abc import Mapping
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from omni.docs import docs_dir
from omni.serving import PUBLISHED_SCHEMAS, STORAGE_VERSION, Described, publish, serving_path
from orchestration.defs.dbt_project import dbt_project
from orchestration.defs.ingest import WAREHOUSE_POOL
from orchestration.defs.resources import Warehouse
from orchestration.defs.transform import ANALYTICS_OWNER, dbt_models

SERVING_KEY = dg.AssetKey(["serving", "omnichannel"])
DOCS_KEY = dg.AssetKey(["docs", "dbt_docs"])


def published_keys() -> list[dg.AssetKey]:
    return sorted(
        (key for key in dbt_models.keys if key.path[0] in PUBLISHED_SCHEMAS),
        key=lambda key: key.to_user_string(),
    )


def manifest_descriptions(manifest_path: Path) -> dict[tuple[str, str], Described]:
    """Descriptions of the published models and seeds, and of their columns, from dbt."""
    nodes = json.loads(manifest_path.read_text())["nodes"].values()
    return {
        (node["schema"], node["alias"]): Described(
            description=node.get("description") or "",
            columns={
                name: column.get("description") or "" for name, column in node["columns"].items()
            },
        )
        for node in nodes
        if node["resource_type"] in ("model", "seed") and node["schema"] in PUBLISHED_SCHEMAS
    }


def _tables_markdown(rows: Mapping[str, int]) -> str:
    lines = ["| table | rows |", "|---|---:|"]
    lines += [f"| {name} | {count:,} |" for name, count in rows.items()]
    return "\n".join(lines)


@dg.asset(
    key=SERVING_KEY,
    deps=published_keys(),
    group_name="serving",
    owners=[ANALYTICS_OWNER],
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    description=(
        "The file analysts and BI tools read (`OMNI_SERVING`, default "
        "`serving/<warehouse file>` beside the working warehouse): the `marts` and "
        "`reference` schemas and `meta.published_tables`, published atomically (written "
        "aside, then renamed over the previous version) in DuckDB storage v1.4.0. Readers "
        "never lock the working warehouse. See docs/connecting.md."
    ),
)
def serving_copy(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    target = serving_path()
    with warehouse.connect() as con:
        publication = publish(
            con, target, context.run_id, manifest_descriptions(dbt_project.manifest_path)
        )
    context.log.info(
        f"Published {len(publication.rows_by_table)} tables to {target} "
        f"({publication.size_bytes:,} bytes)"
    )
    # Rows of each mart and seed as published, shown on its own asset page. (dagster-dbt's
    # fetch_row_counts() leaves dbt's DuckDB connection open in this process with another
    # configuration, which breaks every later connection to the warehouse in the run.)
    for name, rows in publication.rows_by_table.items():
        context.log_event(
            dg.AssetObservation(
                asset_key=dg.AssetKey(name.split(".", 1)),
                metadata={"dagster/row_count": rows, "published_to": str(target)},
            )
        )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(publication.path)),
            "tables": dg.MetadataValue.md(_tables_markdown(publication.rows_by_table)),
            "table_count": len(publication.rows_by_table),
            "rows": sum(publication.rows_by_table.values()),
            "size_bytes": publication.size_bytes,
            "published_at": dg.MetadataValue.timestamp(publication.published_at),
            "storage_version": STORAGE_VERSION,
        }
    )


@dg.asset(
    key=DOCS_KEY,
    deps=[SERVING_KEY],
    group_name="serving",
    owners=[ANALYTICS_OWNER],
    kinds={"dbt"},
    pool=WAREHOUSE_POOL,
    description=(
        "The dbt documentation site (`dbt docs generate`: every model, its grain, columns, "
        "tests and lineage, with the warehouse's catalog), in `docs/` beside the working "
        "warehouse. `omni docs` serves it."
    ),
)
def dbt_docs(dbt: DbtCliResource) -> dg.MaterializeResult:
    target = docs_dir()
    dbt.cli(["docs", "generate"], target_path=target).wait()
    catalog = json.loads((target / "catalog.json").read_text())
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target / "index.html")),
            "relations_in_catalog": len(catalog["nodes"]) + len(catalog["sources"]),
        }
    )


serving_assets = [serving_copy, dbt_docs]
