"""`ecom-analytics dashboard` and `ecom-analytics screenshots`; the main CLI adds these parsers.

Each parser sets `handler`, which takes the parsed arguments. Both commands become the
dashboard's own program, `python -m app serve` or `python -m app screenshots`
(cli/app_process.py), so its exit code and signals are the command's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.cli.app_process import exec_app

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
    parser.add_argument(
        "--host", default=settings.DASHBOARD_HOST, help="interface to bind (%(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=settings.DASHBOARD_PORT, help="port (%(default)s)"
    )
    parser.add_argument("--db", type=Path, default=None, help=DB_HELP)
    parser.set_defaults(handler=handle_dashboard)
    return parser


def _db_arguments(args: argparse.Namespace) -> tuple[str, ...]:
    """`--db PATH` when one was given: otherwise the app finds the snapshot from settings."""
    return ("--db", str(args.db)) if args.db is not None else ()


def handle_dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard: this process becomes `python -m app serve` (never returns)."""
    return exec_app("serve", "--host", args.host, "--port", str(args.port), *_db_arguments(args))


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
    """Write the PNGs: this process becomes `python -m app screenshots` (never returns)."""
    return exec_app("screenshots", "--out", str(args.out), *_db_arguments(args))
