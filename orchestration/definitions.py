"""The Dagster code location: assembles the definitions of `orchestration/defs`."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.ingest import ingest_assets, ingest_checks
from orchestration.defs.quality import quality_checks
from orchestration.defs.resources import dbt_from_env, warehouse_from_env
from orchestration.defs.schedules import (
    NIGHTLY_FRESHNESS,
    build_warehouse_job,
    landing_sensor,
    nightly_schedule,
)
from orchestration.defs.serving import serving_assets
from orchestration.defs.transform import dbt_models

defs = dg.Definitions(
    assets=dg.map_asset_specs(
        lambda spec: dg.apply_freshness_policy(spec, NIGHTLY_FRESHNESS),
        [*ingest_assets, dbt_models, *serving_assets],
    ),
    asset_checks=[*ingest_checks, *quality_checks],
    jobs=[build_warehouse_job],
    schedules=[nightly_schedule],
    sensors=[landing_sensor],
    resources={"warehouse": warehouse_from_env(), "dbt": dbt_from_env()},
    executor=dg.in_process_executor,
)
