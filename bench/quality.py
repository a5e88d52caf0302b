"""Cost of the data quality checks: the whole pipeline with and without them, same session.

Generates (once, cached under bench/.data/) the default sample (5,000 customers, 365 days,
seed 42: what `make run` builds), then builds it into fresh warehouses with the
`build_warehouse` job, alternately without the Great Expectations checks of
`orchestration/defs/quality.py` (every other asset and check kept) and with them. Prints
the wall time of each run, the time of the quality steps, and the overhead (target: at most
+25%). Importing Great Expectations happens once per process, before the runs: its cost is
printed apart, measured in a fresh interpreter.

Usage: python -m bench.quality [--repeat 1] [--customers 5000] [--days 365] [--seed 42]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg

from bench.ingestion import landing_zone
from omni import settings

JOB_NAME = "build_warehouse"


def _import_seconds() -> float:
    code = (
        "import time; t = time.perf_counter(); import omni.quality.core; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _job(with_checks: bool) -> dg.JobDefinition:
    from orchestration.definitions import defs
    from orchestration.defs.quality import quality_checks

    job = defs.resolve_job_def(JOB_NAME)
    if with_checks:
        return job
    graph = defs.resolve_asset_graph()
    quality = {key for check in quality_checks for key in check.check_keys}
    return job.get_subset(
        asset_selection=set(graph.materializable_asset_keys),
        asset_check_selection=set(graph.asset_check_keys) - quality,
    )


def _run(landing: Path, with_checks: bool) -> tuple[float, float, int]:
    """One build into a fresh warehouse: (wall seconds, quality step seconds, checks)."""
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as tmp:
        settings.use(landing, Path(tmp) / "omnichannel.duckdb")
        job = _job(with_checks)
        log = Path(tmp) / "run.log"
        with (
            dg.instance_for_test() as instance,
            log.open("w") as out,
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
        ):
            started = time.perf_counter()
            result = job.execute_in_process(instance=instance, raise_on_error=False)
            wall = time.perf_counter() - started
            assert result.success, f"run failed ({'with' if with_checks else 'without'} checks)"
            quality = sum(
                (s.end_time or 0) - (s.start_time or 0)
                for s in instance.get_run_step_stats(result.run_id)
                if s.step_key.startswith("quality_")
            )
            checks = len(result.get_asset_check_evaluations())
    return wall, quality, checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    landing = landing_zone(args.customers, args.days, args.seed)
    print(
        f"importing omni.quality (Great Expectations), fresh interpreter: {_import_seconds():.1f}s"
    )
    _job(True)  # import and parse everything before timing
    walls: dict[bool, list[float]] = {False: [], True: []}
    quality_steps: list[float] = []
    for i in range(args.repeat):
        for with_checks in (False, True):
            wall, quality, checks = _run(landing, with_checks)
            walls[with_checks].append(wall)
            if with_checks:
                quality_steps.append(quality)
            label = "with" if with_checks else "without"
            print(
                f"run {i + 1} {label:>7} quality checks: {wall:6.1f}s, {checks} checks, "
                f"quality steps {quality:.1f}s"
            )
    without, with_ = statistics.median(walls[False]), statistics.median(walls[True])
    steps = statistics.median(quality_steps)
    print(
        f"median: without {without:.1f}s, with {with_:.1f}s, overhead "
        f"{with_ - without:+.1f}s ({(with_ - without) / without:+.1%}; target at most +25%)"
    )
    print(
        f"quality steps alone: {steps:.1f}s = {steps / without:+.1%} of the run without them "
        "(less sensitive to the load of a shared machine than the difference of two runs)"
    )


if __name__ == "__main__":
    main()
