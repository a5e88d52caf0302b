"""Run dbt on a benchmark's warehouse, timed, in a target folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "bench" / ".data"


def run_dbt(args: list[str], warehouse: Path, target: str = "target") -> float:
    """`dbt <args>` on `warehouse`; the seconds it took. Raises with dbt's output on failure.

    Each benchmark names its own target folder under bench/.data, so that other dbt runs of
    the project (tests, `omni run`) can go on meanwhile.
    """
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT),
        "OMNI_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(DATA / target),
        "DBT_LOG_PATH": str(DATA / "logs"),
    }
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-40:])
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{tail}")
    return elapsed
