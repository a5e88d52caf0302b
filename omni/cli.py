"""The `omni` command: generate a sample landing zone, run the pipeline."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

# `omni run` refused because another run is writing the warehouse (sysexits EX_TEMPFAIL).
EXIT_BUSY = 75


def _generate(args: argparse.Namespace) -> int:
    from omni.generate import generate, truth_dir_for

    summary = generate(
        Path(args.out),
        customers=args.customers,
        days=args.days,
        seed=args.seed,
        hold_back=args.hold_back,
        progress=print,
    )
    print(summary)
    print(f"Truth for tests and benchmarks: {truth_dir_for(Path(args.out))}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from omni.lock import WarehouseBusy
    from omni.pipeline import run_pipeline

    try:
        summary = run_pipeline(
            Path(args.landing) if args.landing else None,
            Path(args.warehouse) if args.warehouse else None,
        )
    except WarehouseBusy as busy:
        print(f"omni run refused: {busy}", file=sys.stderr)
        return EXIT_BUSY
    print()
    print(summary)
    return 0 if summary.ok else 1


def _explain_customer(args: argparse.Namespace) -> int:
    from omni import settings
    from omni.explain import CustomerNotFound, explain

    warehouse = Path(args.warehouse) if args.warehouse else settings.warehouse_path()
    try:
        print(explain(warehouse, args.customer_id, args.max_records))
    except CustomerNotFound as error:
        print(error.args[0], file=sys.stderr)
        return 1
    return 0


def _status(args: argparse.Namespace) -> int:
    from omni import settings
    from omni.pipeline import dagster_instance
    from omni.serving import serving_path
    from omni.status import status

    landing = Path(args.landing) if args.landing else settings.landing_dir()
    print(status(dagster_instance(), settings.warehouse_path(), serving_path(), landing))
    return 0


def _docs(args: argparse.Namespace) -> int:
    from omni.docs import docs_dir, docs_server

    try:
        server = docs_server(docs_dir(), args.host, args.port)
    except FileNotFoundError as missing:
        print(missing, file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    print(f"dbt documentation of the warehouse: http://{host}:{port}/ (Ctrl-C to stop)")
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omni", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write a sample landing zone and its truth")
    generate.add_argument("--out", required=True, help="landing zone folder to write")
    generate.add_argument("--customers", type=int, default=5000)
    generate.add_argument("--days", type=int, default=365, help="days of history")
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument(
        "--hold-back",
        type=int,
        default=0,
        help="leave out the last N days of deliveries (run again with 0 to deliver them)",
    )
    generate.set_defaults(handler=_generate)

    run = commands.add_parser("run", help="load, transform and check everything through Dagster")
    run.add_argument("--landing", help="landing zone (default: $OMNI_LANDING_DIR)")
    run.add_argument("--warehouse", help="DuckDB file (default: $OMNI_WAREHOUSE)")
    run.set_defaults(handler=_run)

    explain = commands.add_parser(
        "explain-customer", help="print why the records of a customer belong together"
    )
    explain.add_argument("customer_id", help="customer id (C + 12 hex digits), even a merged one")
    explain.add_argument("--warehouse", help="DuckDB file (default: $OMNI_WAREHOUSE)")
    explain.add_argument(
        "--max-records", type=int, default=8, help="records shown per link (default 8)"
    )
    explain.set_defaults(handler=_explain_customer)

    status = commands.add_parser(
        "status", help="the last run, its checks, the serving copy and the waiting deliveries"
    )
    status.add_argument("--landing", help="landing zone (default: $OMNI_LANDING_DIR)")
    status.set_defaults(handler=_status)

    docs = commands.add_parser("docs", help="serve the dbt documentation site on this machine")
    docs.add_argument("--host", default="127.0.0.1")
    docs.add_argument("--port", type=int, default=8080, help="port (0: any free port)")
    docs.set_defaults(handler=_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
