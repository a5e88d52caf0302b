"""Transformation: the dbt project as Dagster assets, its tests as asset checks.

dbt sources are the ingestion assets (`raw/<source>__<extract>`); models are keyed by their
schema and name (`staging/stg_ecommerce__orders`). Staging models sit in the group of their
source, next to the raw table they read; intermediate models and marts in the group of their
domain folder.
"""

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.dbt_project import dbt_project
from orchestration.defs.ingest import OWNER as INGEST_OWNER
from orchestration.defs.ingest import WAREHOUSE_POOL

ANALYTICS_OWNER = "team:analytics-engineering"


class OmniTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["identifier"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if len(fqn) >= 4:
            return fqn[2]
        return fqn[1] if len(fqn) >= 2 else None

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        fqn = dbt_resource_props.get("fqn", [])
        return [INGEST_OWNER if "staging" in fqn else ANALYTICS_OWNER]


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    # No dbt tests on sources: the loader validates every raw row, and the blocking
    # `load_log_reconciles` checks of the raw assets gate the dbt models (Dagster exempts an
    # asset from the blocking checks of an upstream asset it checks itself).
    dagster_dbt_translator=OmniTranslator(),
    pool=WAREHOUSE_POOL,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """Build (run and test) the dbt models selected for this run."""
    yield from dbt.cli(["build"], context=context).stream()
