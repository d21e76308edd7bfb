"""`ecom-analytics generate`: write synthetic landing files (SPEC §7)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.synthetic.generator import FORMATS, GenerateSummary, generate


def add_generate_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `generate`; the handler is stored as the parser's `func` default."""
    parser = subparsers.add_parser(
        "generate",
        help="write realistic synthetic landing files",
        description="Write events, product and user files under <data dir>/raw/ for a run of "
        "UTC days. The same arguments give identical files.",
    )
    parser.add_argument(
        "--start", required=True, type=date.fromisoformat, help="first day, YYYY-MM-DD"
    )
    parser.add_argument("--days", required=True, type=_positive, help="number of days")
    parser.add_argument(
        "--events-per-day", required=True, type=_positive, help="average events per day"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--bad-rate",
        type=_rate,
        default=0.0,
        help="share of records injected as known bad records (default 0)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="jsonl", dest="fmt", help="file format"
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="landing zone root (default: $ECOM_DATA_DIR or ./data)",
    )
    parser.set_defaults(handler=run_generate)
    return parser


def run_generate(args: argparse.Namespace) -> int:
    summary = generate(
        args.data_dir or settings.data_dir(),
        args.start,
        args.days,
        args.events_per_day,
        seed=args.seed,
        bad_rate=args.bad_rate,
        fmt=args.fmt,
    )
    print(format_summary(summary))
    return 0


def format_summary(summary: GenerateSummary) -> str:
    last = summary.start.toordinal() + summary.days - 1
    lines = [
        f"Wrote {len(summary.files)} {summary.fmt} files under {summary.data_dir / 'raw'}",
        f"  days: {summary.start} to {date.fromordinal(last)} ({summary.days})",
        f"  events: {summary.total_events:,}",
        f"  product records: {sum(summary.products_per_day.values()):,}",
        f"  user records: {sum(summary.users_per_day.values()):,}",
    ]
    for source, codes in summary.injected_by_source.items():
        if codes:
            lines.append(f"  injected bad {source[:-1]} records: {summary.bad_records[source]:,}")
            lines += [f"    {code}: {n:,}" for code, n in codes.items()]
    return "\n".join(lines)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 0.5:
        raise argparse.ArgumentTypeError("must be between 0 and 0.5")
    return value
