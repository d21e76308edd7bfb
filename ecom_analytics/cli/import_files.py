"""`ecom-analytics import`: land files in a public e-commerce layout (SPEC §2.3)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.importers import IMPORTERS, ImportSummary, SourceError, import_files

USAGE_ERROR = 2


def add_import_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the `import` command; its handler is `args.handler(args) -> exit code`."""
    parser = subparsers.add_parser(
        "import",
        help="turn REES46 or UCI Online Retail CSV files into landing-zone files",
        description=(
            "Map each SRC file (or the .csv/.csv.gz files directly inside a SRC folder) "
            "onto raw/events, raw/products and raw/users day folders. Importing the same "
            "file again replaces what it landed before, byte for byte."
        ),
    )
    parser.add_argument("--format", required=True, choices=sorted(IMPORTERS), dest="fmt")
    parser.add_argument("sources", nargs="+", type=Path, metavar="SRC")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="landing zone root (default: $ECOM_DATA_DIR, else ./data)",
    )
    parser.set_defaults(handler=handle_import)
    return parser


def handle_import(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else settings.data_dir()
    started = time.perf_counter()
    try:
        summary = import_files(args.fmt, args.sources, out)
    except SourceError as error:
        print(f"ecom-analytics import: error: {error}", file=sys.stderr)
        return USAGE_ERROR
    print(format_summary(summary, out, time.perf_counter() - started))
    return 0


def format_summary(summary: ImportSummary, out: Path, seconds: float) -> str:
    header = f"{'date':<12}{'events':>12}{'unmapped':>10}{'products':>10}{'users':>10}"
    lines = [
        f"Imported {summary.rows_read:,} rows from {len(summary.sources)} {summary.format} "
        f"file(s) into {out / 'raw'} in {seconds:.1f} s",
        header,
    ]
    for day, d in sorted(summary.days.items()):
        lines.append(
            f"{day.isoformat():<12}{d.events:>12,}{d.unmapped:>10,}{d.products:>10,}{d.users:>10,}"
        )
    days = summary.days.values()
    lines.append(
        f"{'total':<12}{summary.events_written:>12,}{sum(d.unmapped for d in days):>10,}"
        f"{sum(d.products for d in days):>10,}{sum(d.users for d in days):>10,}"
    )
    if summary.blank_lines:
        lines.append(f"{summary.blank_lines:,} blank line(s) skipped")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ecom-analytics")
    add_import_parser(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
