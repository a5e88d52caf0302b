"""Ingestion benchmark: our loader against DuckDB's own readers on the same files.

Generates (once, cached under bench/.data/) a landing zone of N customers, then in the same
run and on the same files:

1. baseline: DuckDB's `read_csv` / `read_json` / `read_parquet` of each delivered file into
   a table of a fresh DuckDB file (contract dialect, `ignore_errors`, no validation);
2. ours: `omni.landing.loader.load_extract` of every extract into a fresh warehouse
   (validation, line numbers, rejects, audit, one transaction per file).

Prints rows per second for both and their ratio (target: ours at least half the baseline).
Usage: python -m bench.ingestion [--customers 100000] [--days 365] [--seed 42]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import duckdb

from bench.samples import landing_zone
from omni.contract import EXTRACTS, Extract
from omni.landing.discover import discover
from omni.landing.loader import load_extract
from omni.landing.sql import literal

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
RESULTS = HERE / "results"


def _baseline_read(extract: Extract, path: Path) -> str:
    source = literal(str(path))
    if extract.file_format == "parquet":
        return f"read_parquet({source})"
    if extract.file_format == "jsonl":
        return f"read_json({source}, format = 'newline_delimited', ignore_errors = true)"
    encoding = "latin-1" if extract.encoding != "utf-8" else "utf-8"
    return (
        f"read_csv({source}, header = true, delim = {literal(extract.delimiter)}, "
        f"encoding = {literal(encoding)}, ignore_errors = true)"
    )


def baseline(root: Path, database: Path) -> dict[str, tuple[int, float]]:
    """DuckDB reading every delivered file into a table: rows and seconds per extract."""
    con = duckdb.connect(str(database))
    figures = {}
    for extract in EXTRACTS:
        rows = 0
        started = time.perf_counter()
        for number, delivery in enumerate(discover(root, extract)):
            table = f"b_{extract.table}_{number}"
            try:
                reader = _baseline_read(extract, delivery.path)
                con.execute(f"create table {table} as select * from {reader}")
            except duckdb.Error:
                continue
            rows += con.sql(f"select count(*) from {table}").fetchone()[0]
        figures[extract.folder] = (rows, time.perf_counter() - started)
    con.close()
    return figures


def ours(root: Path, database: Path) -> dict[str, tuple[int, float, int]]:
    """The loader on every extract: rows read, seconds and rows rejected per extract."""
    con = duckdb.connect(str(database))
    con.execute("set TimeZone = 'UTC'")
    figures = {}
    for extract in EXTRACTS:
        started = time.perf_counter()
        result = load_extract(con, extract, root, run_id="bench")
        figures[extract.folder] = (
            result.rows_read,
            time.perf_counter() - started,
            result.rows_rejected,
        )
    con.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    root = landing_zone(args.customers, args.days, args.seed)
    size_mb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
    scratch = DATA / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)

    base = baseline(root, scratch / "baseline.duckdb")
    mine = ours(root, scratch / "ours.duckdb")
    print(f"{'extract':<26}{'baseline rows/s':>16}{'omni rows/s':>14}{'ratio':>8}")
    for folder, (rows, seconds) in base.items():
        our_rows, our_seconds, _ = mine[folder]
        base_rate, our_rate = rows / max(seconds, 1e-9), our_rows / max(our_seconds, 1e-9)
        print(f"{folder:<26}{base_rate:>16,.0f}{our_rate:>14,.0f}{our_rate / base_rate:>8.2f}")
    base_rows = sum(rows for rows, _ in base.values())
    base_seconds = sum(seconds for _, seconds in base.values())
    our_rows = sum(rows for rows, _, _ in mine.values())
    our_seconds = sum(seconds for _, seconds, _ in mine.values())
    rejected = sum(rejected for _, _, rejected in mine.values())
    base_rate = base_rows / base_seconds
    our_rate = our_rows / our_seconds
    figures = {
        "customers": args.customers,
        "landing_mb": round(size_mb, 1),
        "baseline_rows": base_rows,
        "baseline_seconds": round(base_seconds, 2),
        "baseline_rows_per_s": round(base_rate),
        "ours_rows": our_rows,
        "ours_rejected": rejected,
        "ours_seconds": round(our_seconds, 2),
        "ours_rows_per_s": round(our_rate),
        "ratio": round(our_rate / base_rate, 3),
        "target_ratio": 0.5,
    }
    print(f"landing zone: {root} ({size_mb:,.0f} MB)")
    line = "{:<24}{:>12,} rows in {:7.2f}s = {:>12,.0f} rows/s"
    print(line.format("DuckDB read_* baseline:", base_rows, base_seconds, base_rate))
    print(line.format("omni loader:", our_rows, our_seconds, our_rate))
    print(f"ratio: {figures['ratio']:.2f} of DuckDB's raw rate (target >= 0.50)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"ingestion-{args.customers}.json").write_text(json.dumps(figures, indent=2))
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
