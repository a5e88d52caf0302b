"""Run dbt on a benchmark's warehouse, timed, in a target folder of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "bench" / ".data"


def run_dbt(args: list[str], warehouse: Path, target: str = "target") -> float:
    """`dbt <args>` on `warehouse`; the seconds it took. Raises with dbt's output on failure.

    Each benchmark names its own target folder under bench/.data, so that other dbt runs of
    the project (tests, `omni run`) can go on meanwhile.
    """
    return run_dbt_measured(args, warehouse, target)[0]


def run_dbt_measured(
    args: list[str], warehouse: Path, target: str = "target"
) -> tuple[float, float]:
    """As run_dbt; also the peak resident memory of that dbt process, in MB (its own
    rusage from os.wait4, not the maximum over every child of the benchmark so far)."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT),
        "OMNI_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(DATA / target),
        "DBT_LOG_PATH": str(DATA / "logs"),
    }
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("dbt")), *args],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        if process.returncode != 0:
            output.seek(0)
            tail = "\n".join(output.read().splitlines()[-40:])
            raise RuntimeError(f"dbt {' '.join(args)} failed:\n{tail}")
    return elapsed, usage.ru_maxrss / 1024


def node_seconds(target: str = "target", resource_type: str | None = None) -> dict[str, float]:
    """Seconds of each node (model, test, hook) of the last dbt run in `target` (its
    run_results.json), slowest first; only the nodes of `resource_type` ("model") if given."""
    results = json.loads((DATA / target / "run_results.json").read_text())
    nodes = sorted(
        (
            (r["unique_id"].split(".")[-1], r["execution_time"])
            for r in results["results"]
            if resource_type is None or r["unique_id"].startswith(resource_type + ".")
        ),
        key=lambda node: -node[1],
    )
    return {name: round(seconds, 2) for name, seconds in nodes}
