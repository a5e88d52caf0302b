"""Corrected re-delivery benchmark: restaging what a corrected file can change, against
rebuilding its staging tables.

    python -m bench.redelivery [--customers 100000] [--days 365] [--seed 42]

1. takes the loaded and staged warehouse of bench.identity (cached under bench/.data/) and
   copies it;
2. re-delivers, corrected, the largest file of each extract in EXTRACTS (by rows loaded):
   the same path with every 50th record left out, as a channel does when it withdraws
   records it sent by mistake; the real loader replaces that file's rows in raw;
3. times `dbt run` of the extracts' staging tables: incrementally, as the nightly run does
   (macro restage_redelivered_files restages the records whose kept version or first
   delivery came from a corrected file), then, on a copy of the same warehouse, with
   --full-refresh: the baseline, and what such a run cost before, when a correction emptied
   the staging table and rebuilt it from raw. Same data, same machine, same run;
4. checks that both give the same tables (`except all` both ways, every column).

Prints dbt's seconds per model (run_results.json), the wall-clock times (dbt's start-up
included) and the differences, and writes bench/results/redelivery-<N>.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import time
from pathlib import Path

import duckdb

from bench.dbt_runner import run_dbt
from bench.identity import staged_warehouse
from omni.contract import BY_FOLDER
from omni.landing.loader import load_extract

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
TARGET = "target-redelivery"
# the line-based extracts whose corrected re-deliveries were the slowest at 1,000,000
# customers, and their incremental staging tables
EXTRACTS = {
    "email/events": "stg_email__events",
    "pos/transactions": "base_pos__transactions",
    "web/events": "stg_web__events",
}
DROP_EVERY = 50


def largest_files(warehouse: Path) -> dict[str, str]:
    """The path of the largest loaded file (rows) of each extract."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            extract: con.sql(
                "select path from audit.load_log where extract = ? and status = 'loaded' "
                "order by rows_loaded desc, path limit 1",
                params=[extract],
            ).fetchone()[0]
            for extract in EXTRACTS
        }


def corrected_copy(original: Path, target: Path, has_header: bool) -> tuple[int, int]:
    """Write `original` to `target` without every DROP_EVERY-th record line (a CSV header
    kept); the lines kept and left out."""
    opener = gzip.open if original.suffix == ".gz" else open
    with opener(original, "rt", encoding="utf-8", newline="") as source:
        lines = source.readlines()
    header = lines[:1] if has_header else []
    records = lines[len(header) :]
    kept = [line for n, line in enumerate(records, start=1) if n % DROP_EVERY]
    target.parent.mkdir(parents=True, exist_ok=True)
    with opener(target, "wt", encoding="utf-8", newline="") as out:
        out.writelines(header + kept)
    later = time.time()
    os.utime(target, (later, later))
    return len(kept), len(records) - len(kept)


def redeliver(landing: Path, warehouse: Path, files: dict[str, str], work: Path) -> dict:
    """Re-deliver the corrected files into `warehouse` with the real loader."""
    corrected_root = work / "corrected-landing"
    shutil.rmtree(corrected_root, ignore_errors=True)
    figures = {}
    for extract, path in files.items():
        has_header = BY_FOLDER[extract].file_format == "csv"
        kept, dropped = corrected_copy(landing / path, corrected_root / path, has_header)
        with duckdb.connect(str(warehouse)) as con:
            result = load_extract(con, BY_FOLDER[extract], corrected_root, run_id="bench")
        statuses = [f.status for f in result.files]
        if statuses != ["loaded"]:
            raise RuntimeError(f"{path}: the corrected file was not loaded: {statuses}")
        figures[extract] = {"file": path, "records_kept": kept, "records_dropped": dropped}
    return figures


def timed_run(args: list[str], warehouse: Path) -> dict:
    """`dbt <args>`: wall-clock seconds and dbt's seconds per model."""
    wall = run_dbt(args, warehouse, TARGET)
    results = json.loads((DATA / TARGET / "run_results.json").read_text())
    return {
        "wall_seconds": round(wall, 2),
        "model_seconds": {
            r["unique_id"].split(".")[-1]: round(r["execution_time"], 2) for r in results["results"]
        },
    }


def differences(a: Path, b: Path, models: list[str]) -> dict[str, int]:
    """Rows of each staging model in one warehouse and not in the other."""
    con = duckdb.connect()
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    found = {}
    for model in models:
        found[model] = sum(
            con.sql(
                f"select count(*) from (select * from {x}.staging.{model} "
                f"except all select * from {y}.staging.{model})"
            ).fetchone()[0]
            for x, y in (("a", "b"), ("b", "a"))
        )
    con.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.redelivery", description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    landing, staged = staged_warehouse(args.customers, args.days, args.seed)
    work = DATA / "work" / f"redelivery-{args.customers}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    incremental, rebuilt = work / "incremental.duckdb", work / "rebuilt.duckdb"
    shutil.copyfile(staged, incremental)
    files = largest_files(incremental)
    corrections = redeliver(landing, incremental, files, work)
    shutil.copyfile(incremental, rebuilt)

    models = list(EXTRACTS.values())
    restaged = timed_run(["run", "--select", *models], incremental)
    full = timed_run(["run", "--full-refresh", "--select", *models], rebuilt)
    diff = differences(incremental, rebuilt, models)
    result = {
        "customers": args.customers,
        "days": args.days,
        "seed": args.seed,
        "corrections": corrections,
        "restaged_incrementally": restaged,
        "full_refresh_baseline": full,
        "rows_differing": diff,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"redelivery-{args.customers}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")

    print(f"{'model':28} {'restaged (s)':>13} {'full refresh (s)':>17} {'rows differing':>15}")
    for model in models:
        print(
            f"{model:28} {restaged['model_seconds'][model]:>13.2f} "
            f"{full['model_seconds'][model]:>17.2f} {diff[model]:>15,}"
        )
    print(
        f"{'wall clock (dbt start-up in)':28} {restaged['wall_seconds']:>13.2f} "
        f"{full['wall_seconds']:>17.2f}"
    )
    for figures in corrections.values():
        print(f"corrected {figures['file']}: {figures['records_dropped']:,} records left out")
    print(f"written {out}")
    shutil.rmtree(work)
    return 1 if any(diff.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
