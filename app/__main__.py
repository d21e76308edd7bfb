"""`python -m app`: the dashboard's own command line.

    python -m app serve [--host H] [--port P] [--db SNAPSHOT]
    python -m app screenshots [--out DIR] [--db SNAPSHOT]     prints each PNG written
    python -m app bench [--db SNAPSHOT] [--repeats N]          prints callback timings (JSON)

`ecom-analytics dashboard`, `ecom-analytics screenshots` and `ecom-analytics bench` run these
as processes: the app imports the product, the product never imports the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ecom_analytics import settings

DB_HELP = "dashboard snapshot to read (default: settings.dashboard_snapshot_path())"


def serve(args: argparse.Namespace) -> int:
    """Serve the dashboard until stopped."""
    from app.app import run

    run(host=args.host, port=args.port, db_path=args.db)
    return 0


def screenshots(args: argparse.Namespace) -> int:
    """Write a PNG of every page and print the path of each."""
    from app.screenshots import write_screenshots

    for path in write_screenshots(args.out, args.db):
        print(path, flush=True)
    return 0


def bench(args: argparse.Namespace) -> int:
    """Print p50 and p95 of every page callback over the snapshot, as JSON."""
    from app.bench import measure_callbacks

    snapshot = args.db or settings.dashboard_snapshot_path()
    print(json.dumps(measure_callbacks(snapshot, args.repeats)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of `python -m app`; each subcommand sets `handler`."""
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    command = commands.add_parser("serve", help="serve the dashboard")
    command.add_argument("--host", default=settings.DASHBOARD_HOST, help="(%(default)s)")
    command.add_argument("--port", type=int, default=settings.DASHBOARD_PORT, help="(%(default)s)")
    command.add_argument("--db", type=Path, default=None, help=DB_HELP)
    command.set_defaults(handler=serve)

    command = commands.add_parser("screenshots", help="write a PNG of every page")
    command.add_argument("--out", type=Path, default=Path("docs/img"), help="(%(default)s)")
    command.add_argument("--db", type=Path, default=None, help=DB_HELP)
    command.set_defaults(handler=screenshots)

    command = commands.add_parser("bench", help="time every page callback, print JSON")
    command.add_argument("--db", type=Path, default=None, help=DB_HELP)
    command.add_argument("--repeats", type=int, default=20, help="timings per callback")
    command.set_defaults(handler=bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand `argv` names; its exit code."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
