"""`make dev`: `dagster dev` serves the whole code location, and its runs queue one at a time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from omni.settings import PROJECT_ROOT
from tests.integration.conftest import omni_env

pytestmark = pytest.mark.integration

LOCATION = """{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename
        ... on PythonError { message }
        ... on RepositoryLocation { repositories { name jobs { name } } } } } } } }"""
LAUNCH = """mutation ($params: ExecutionParams!) { launchRun(executionParams: $params) {
    __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }"""
STATUSES = """query ($ids: [String!]) { runsOrError(filter: {runIds: $ids}) {
    ... on Runs { results { runId status } } } }"""
TERMINATE = """mutation ($ids: [String!]!) { terminateRuns(runIds: $ids) { __typename } }"""


def graphql(port: int, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=180) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.fixture(scope="module")
def dagster_dev(
    tmp_path_factory: pytest.TempPathFactory, sample_landing: Path
) -> Iterator[tuple[int, list[dict]]]:
    """`dagster dev` (webserver and daemon) on a free port; yields (port, location entries).

    Its runs read the sample: on an empty landing zone a run fails at its first blocking
    check within seconds, and on a loaded machine it could end before the test has even
    launched the second run, which then never has a running run to wait behind.
    """
    root = tmp_path_factory.mktemp("dagster_dev")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = omni_env(sample_landing, root / "warehouse" / "omnichannel.duckdb", home)
    dagster = str(Path(sys.executable).with_name("dagster"))
    dev = subprocess.Popen(
        [dagster, "dev", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        entries: list[dict] = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and dev.poll() is None:
            try:
                entries = graphql(port, LOCATION)["workspaceOrError"]["locationEntries"]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    break
            except OSError:
                pass
            time.sleep(2)
        assert dev.poll() is None, "dagster dev exited"
        yield port, entries
    finally:
        # Stop it by its process id (it stops its webserver, daemon and code server).
        dev.send_signal(signal.SIGINT)
        try:
            dev.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
            dev.wait()


def test_the_code_location_loads_without_errors(dagster_dev):
    _, entries = dagster_dev
    assert entries, "the webserver never answered"
    [entry] = entries
    assert entry["name"] == "omnichannel"
    location = entry["locationOrLoadError"]
    assert location["__typename"] == "RepositoryLocation", location
    jobs = {job["name"] for repo in location["repositories"] for job in repo["jobs"]}
    assert "build_warehouse" in jobs


def test_a_second_run_waits_in_the_queue_while_the_first_writes(dagster_dev):
    port, _ = dagster_dev
    params = {
        "selector": {
            "repositoryLocationName": "omnichannel",
            "repositoryName": "__repository__",
            "jobName": "build_warehouse",
        },
        "runConfigData": {},
    }
    run_ids = []
    for _ in range(2):
        launched = graphql(port, LAUNCH, {"params": params})["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_ids.append(launched["run"]["runId"])
    seen: list[dict[str, str]] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            results = graphql(port, STATUSES, {"ids": run_ids})["runsOrError"]["results"]
            statuses = {r["runId"]: r["status"] for r in results}
            seen.append(statuses)
            if sorted(statuses.values()) == ["QUEUED", "STARTED"]:
                break
            time.sleep(1)
        # It keeps waiting while the first one runs.
        time.sleep(5)
        later = graphql(port, STATUSES, {"ids": run_ids})["runsOrError"]["results"]
        seen.append({r["runId"]: r["status"] for r in later})
    finally:
        graphql(port, TERMINATE, {"ids": run_ids})
    assert {"QUEUED", "STARTED"} in [set(s.values()) for s in seen], seen
    active = ("STARTING", "STARTED")
    assert all(sum(v in active for v in s.values()) <= 1 for s in seen), seen
