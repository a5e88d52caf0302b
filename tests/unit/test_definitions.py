"""The Dagster code location loads, and every asset is described, grouped and owned."""

from __future__ import annotations

import dagster as dg

from omni.contract import EXTRACTS


def test_every_asset_has_a_description_a_group_and_an_owner():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = list(graph.get_all_asset_keys())
    assert {dg.AssetKey(["raw", e.table]) for e in EXTRACTS} <= set(keys)
    for key in keys:
        node = graph.get(key)
        assert node.description, key
        assert node.group_name and node.group_name != "default", key
        assert node.owners, key


def test_raw_and_staging_of_a_source_share_its_group():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["raw", "ecommerce__orders"])).group_name == "ecommerce"
    assert graph.get(dg.AssetKey(["staging", "stg_ecommerce__orders"])).group_name == "ecommerce"


def test_schedule_sensor_and_single_writer():
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("nightly_build")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "Europe/Paris")
    sensor = defs.resolve_sensor_def("landing_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
    job = defs.resolve_job_def("build_warehouse")
    assert job.executor_def is dg.in_process_executor
    graph = defs.resolve_asset_graph()
    pools = {frozenset(graph.get(key).pools) for key in graph.get_all_asset_keys()}
    assert pools == {frozenset({"warehouse"})}
