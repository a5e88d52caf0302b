"""Corrected re-delivery benchmark: restaging what a corrected file can change, against
rebuilding its staging tables.

    python -m bench.redelivery [--customers 100000] [--days 365] [--seed 42]
                               [--correction drop|touch]

1. takes the loaded and staged warehouse of bench.identity (cached under bench/.data/) and
   copies it;
2. re-delivers, corrected, the largest file of each extract in EXTRACTS (by rows loaded), the
   same path with every 50th record either left out (`drop`, the default: a channel
   withdrawing records it sent by mistake; every later record moves up a line) or changed on
   its own line (`touch`: a space before its id, which staging trims; the other records
   repeated as they were); the real loader replaces that file's rows in raw, and keeps the
   load time of the rows repeated on their own line;
3. times `dbt run` of the extracts' staging tables: incrementally, as the nightly run does
   (macro restage_redelivered_files restages the records whose kept version or first
   delivery came from a corrected file and is not repeated by it), then, on a copy of the
   same warehouse, with --full-refresh: the baseline, and what such a run cost before, when
   a correction emptied the staging table and rebuilt it from raw. Same data, same machine,
   same run;
4. checks that both give the same tables (`except all` both ways, every column), and counts
   the staged rows that carry the correction's load time: what the marts, built on load
   time, take as new. Each corrected file's load is timed too, against loading the same
   file into an empty warehouse (nothing to replace).

Prints dbt's seconds per model (run_results.json), the wall-clock times (dbt's start-up
included), the rows taken as new and the differences, and writes
bench/results/redelivery-<N>[-touch].json.
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
CORRECT_EVERY = 50
CORRECTIONS = {"drop": "left out", "touch": "changed on their line"}


def largest_files(warehouse: Path) -> dict[str, str]:
    """The path of the largest loaded file (rows) of each extract."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            extract: con.sql(
                "select path from audit.load_log where extract = ? and status like 'loaded%' "
                "order by rows_loaded desc, path limit 1",
                params=[extract],
            ).fetchone()[0]
            for extract in EXTRACTS
        }


def corrected_copy(
    original: Path, target: Path, has_header: bool, correction: str, every: int = CORRECT_EVERY
) -> int:
    """Write `original` to `target` with every `every`-th record line left out (`drop`) or
    given a space before its first field (`touch`), a CSV header kept; the records left out
    or changed."""
    opener = gzip.open if original.suffix == ".gz" else open
    with opener(original, "rt", encoding="utf-8", newline="") as source:
        lines = source.readlines()
    header = lines[:1] if has_header else []
    records = lines[len(header) :]
    corrected = [
        line if n % every else " " + line
        for n, line in enumerate(records, start=1)
        if n % every or correction == "touch"
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    with opener(target, "wt", encoding="utf-8", newline="") as out:
        out.writelines(header + corrected)
    later = time.time()
    os.utime(target, (later, later))
    return len(records) // every


def redeliver(
    landing: Path, warehouse: Path, files: dict[str, str], work: Path, correction: str
) -> dict:
    """Re-deliver the corrected files into `warehouse` with the real loader."""
    corrected_root = work / "corrected-landing"
    shutil.rmtree(corrected_root, ignore_errors=True)
    figures = {}
    for extract, path in files.items():
        has_header = BY_FOLDER[extract].file_format == "csv"
        corrected = corrected_copy(landing / path, corrected_root / path, has_header, correction)
        started = time.perf_counter()
        with duckdb.connect(str(warehouse)) as con:
            result = load_extract(con, BY_FOLDER[extract], corrected_root, run_id="bench")
        seconds = time.perf_counter() - started
        statuses = [f.status for f in result.files]
        if statuses not in (["loaded"], ["loaded_with_rejects"]):
            raise RuntimeError(f"{path}: the corrected file was not loaded: {statuses}")
        figures[extract] = {
            "file": path,
            "records": result.rows_read,
            "records_corrected": corrected,
            "load_seconds": round(seconds, 2),
            "first_load_seconds": round(first_load_seconds(extract, corrected_root, work), 2),
        }
    return figures


def first_load_seconds(extract: str, landing: Path, work: Path) -> float:
    """The baseline of a corrected file's load: the same file loaded into an empty
    warehouse, where nothing is replaced."""
    scratch = work / "first-load.duckdb"
    started = time.perf_counter()
    with duckdb.connect(str(scratch)) as con:
        load_extract(con, BY_FOLDER[extract], landing, run_id="bench")
    seconds = time.perf_counter() - started
    scratch.unlink()
    return seconds


def rows_taken_as_new(warehouse: Path, models: list[str]) -> dict[str, int]:
    """Staged rows of each model that carry a load time of the corrections."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            model: con.sql(
                f"select count(*) from staging.{model} where _loaded_at >= "
                "(select min(loaded_at) from audit.load_log where run_id = 'bench')"
            ).fetchone()[0]
            for model in models
        }


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
    parser.add_argument("--correction", choices=CORRECTIONS, default="drop")
    args = parser.parse_args(argv)

    landing, staged = staged_warehouse(args.customers, args.days, args.seed)
    work = DATA / "work" / f"redelivery-{args.customers}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    incremental, rebuilt = work / "incremental.duckdb", work / "rebuilt.duckdb"
    shutil.copyfile(staged, incremental)
    files = largest_files(incremental)
    corrections = redeliver(landing, incremental, files, work, args.correction)
    shutil.copyfile(incremental, rebuilt)

    models = list(EXTRACTS.values())
    restaged = timed_run(["run", "--select", *models], incremental)
    full = timed_run(["run", "--full-refresh", "--select", *models], rebuilt)
    diff = differences(incremental, rebuilt, models)
    taken_as_new = rows_taken_as_new(incremental, models)
    result = {
        "customers": args.customers,
        "days": args.days,
        "seed": args.seed,
        "correction": args.correction,
        "corrections": corrections,
        "rows_taken_as_new": taken_as_new,
        "restaged_incrementally": restaged,
        "full_refresh_baseline": full,
        "rows_differing": diff,
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if args.correction == "drop" else f"-{args.correction}"
    out = RESULTS / f"redelivery-{args.customers}{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")

    print(
        f"{'model':28} {'restaged (s)':>13} {'full refresh (s)':>17} {'rows as new':>12} "
        f"{'rows differing':>15}"
    )
    for model in models:
        print(
            f"{model:28} {restaged['model_seconds'][model]:>13.2f} "
            f"{full['model_seconds'][model]:>17.2f} {taken_as_new[model]:>12,} "
            f"{diff[model]:>15,}"
        )
    print(
        f"{'wall clock (dbt start-up in)':28} {restaged['wall_seconds']:>13.2f} "
        f"{full['wall_seconds']:>17.2f}"
    )
    for figures in corrections.values():
        print(
            f"corrected {figures['file']}: {figures['records_corrected']:,} of "
            f"{figures['records']:,} records {CORRECTIONS[args.correction]}, "
            f"loaded in {figures['load_seconds']:.1f}s (into an empty warehouse: "
            f"{figures['first_load_seconds']:.1f}s)"
        )
    print(f"written {out}")
    shutil.rmtree(work)
    return 1 if any(diff.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
