"""`ecom-analytics dashboard` and `ecom-analytics screenshots`; the main CLI adds these parsers.

Each parser sets `func`, the handler that takes the parsed arguments and returns an exit code.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
DB_HELP = (
    "dashboard snapshot to read (default: $ECOM_DASHBOARD_DB, else dashboard.duckdb next to "
    "the warehouse)"
)


def add_dashboard_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "dashboard",
        help="serve the Dash dashboard over the published marts snapshot",
        description="Serve the Dash dashboard. It reads the snapshot that the `dashboard` "
        "asset publishes after each run, never the warehouse Dagster writes.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface to bind (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (%(default)s)")
    parser.add_argument("--db", type=Path, default=None, help=DB_HELP)
    parser.set_defaults(handler=handle_dashboard)
    return parser


def handle_dashboard(args: argparse.Namespace) -> int:
    from app.app import run

    run(host=args.host, port=args.port, db_path=args.db)
    return 0


def add_screenshots_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "screenshots",
        help="write a PNG of every dashboard page (headless Chromium)",
        description="Serve the dashboard on a free local port and save a full-page PNG of "
        "each page, using /usr/bin/chromium and /usr/bin/chromedriver.",
    )
    parser.add_argument("--out", type=Path, default=Path("docs/img"), help="(%(default)s)")
    parser.add_argument("--db", type=Path, default=None, help=DB_HELP)
    parser.set_defaults(handler=handle_screenshots)
    return parser


def handle_screenshots(args: argparse.Namespace) -> int:
    from app.screenshots import write_screenshots

    for path in write_screenshots(args.out, args.db):
        print(path)
    return 0
