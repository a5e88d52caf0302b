"""The job that builds the whole warehouse, its nightly schedule and the landing sensor."""

import datetime as dt
import hashlib

import dagster as dg

from omni import settings
from omni.contract import EXTRACTS, is_delivery

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Load every new delivery, build and test every dbt model, run every check.",
    tags={"omni/writes": "warehouse"},
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_build",
    job=build_warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Materialises everything at 02:00 Europe/Paris.",
)


def landing_fingerprint() -> str:
    """A digest of every delivery in the landing zone (path, size, modification time)."""
    root = settings.landing_dir()
    digest = hashlib.sha256()
    for extract in EXTRACTS:
        folder = root / extract.source / extract.name
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file() and is_delivery(path.name):
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(root)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode()
                )
    return digest.hexdigest()


@dg.sensor(
    job=build_warehouse_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a build when files land or change in the landing zone (off by default).",
)
def landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    fingerprint = landing_fingerprint()
    if fingerprint == context.cursor:
        return dg.SensorResult(skip_reason="No new or changed delivery in the landing zone.")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)


# Everything is built every night: an asset not materialised for a day and two hours has
# missed a nightly build (shown per asset in the UI; `freshness: enabled` in dagster.yaml).
NIGHTLY_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=dt.timedelta(hours=26), warn_window=dt.timedelta(hours=25)
)
