"""A warehouse served to readers across two runs, shared by the serving and guide tests.

`served` builds the sample with its last 3 days held back (`omni run`, in a subprocess as a
user would), then holds a read-only connection on the serving file as a BI tool would,
delivers the held-back days and starts two `omni run` at once on the same warehouse. While
they run, the held connection is read again and again. Everything observed is recorded for
the tests to assert on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from omni.generate import generate
from omni.settings import PROJECT_ROOT
from orchestration.defs.dbt_project import DBT_EXECUTABLE
from tests.conftest import SAMPLE
from tests.integration.fingerprint import fingerprint

FINGERPRINT_SCRIPT = Path(__file__).with_name("fingerprint.py")


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Served:
    landing: Path
    warehouse: Path
    serving: Path
    env: dict[str, str]
    first: Finished
    concurrent: list[Finished]
    held_before: dict[str, object]
    held_while_running: list[dict[str, object]] = field(default_factory=list)
    held_after: dict[str, object] = field(default_factory=dict)
    new_reader: dict[str, object] = field(default_factory=dict)


def omni_env(landing: Path, warehouse: Path, dagster_home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "OMNI_LANDING_DIR": str(landing),
        "OMNI_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(dagster_home),
    }
    env.pop("OMNI_SERVING", None)
    return env


def omni(env: dict[str, str], *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "omni.cli", *args],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def finish(process: subprocess.Popen, timeout: float = 900) -> Finished:
    stdout, stderr = process.communicate(timeout=timeout)
    return Finished(process.returncode, stdout, stderr)


def read_fingerprint(path: Path, python: str = sys.executable) -> dict[str, object]:
    """The fingerprint of a serving file, read by another process (a new client)."""
    out = subprocess.run(
        [python, str(FINGERPRINT_SCRIPT), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    root = tmp_path_factory.mktemp("served")
    landing = root / "landing"
    warehouse = root / "warehouse" / "omnichannel.duckdb"
    env = omni_env(landing, warehouse, root / "dagster_home")
    generate(landing, **SAMPLE, hold_back=3)
    first = finish(omni(env, "run"))
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    serving = warehouse.parent / "serving" / warehouse.name

    held = duckdb.connect(str(serving), read_only=True)
    held_before = fingerprint(held)
    generate(landing, **SAMPLE, hold_back=0)
    runs = [omni(env, "run"), omni(env, "run")]
    state = Served(landing, warehouse, serving, env, first, [], held_before)
    while any(run.poll() is None for run in runs):
        state.held_while_running.append(fingerprint(held))
        time.sleep(2)
    state.concurrent = [finish(run) for run in runs]
    state.held_after = fingerprint(held)
    held.close()
    state.new_reader = read_fingerprint(serving)
    return state


def run_dbt(args: list[str], warehouse: Path, target: Path) -> None:
    """`dbt <args> --quiet` on `warehouse`, failing the test when dbt fails."""
    subprocess.run(
        [DBT_EXECUTABLE, *args, "--quiet", "--target-path", str(target)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "OMNI_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(PROJECT_ROOT)},
        check=True,
    )
