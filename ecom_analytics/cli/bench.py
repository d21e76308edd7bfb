"""`ecom-analytics bench` and `ecom-analytics dbt-parse`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecom_analytics.cli.common import EXIT_OK


def add_bench_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run the performance benchmark (SPEC §8) and print JSON",
        description=(
            "Generate EVENTS synthetic events over DAYS days in a private temp workspace, run "
            "landing files → checked marts through Dagster (one run over the range), then time "
            "every dashboard callback on the resulting snapshot. Before the pipeline, the floor: "
            "plain DuckDB SQL computing the same marts from the same files. Prints JSON: "
            "seconds per stage and per step, the ratio to the floor, events/s, peak RSS, "
            "callback p50/p95 in ms."
        ),
    )
    parser.add_argument("--events", type=int, default=10_000_000, help="events in total")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        help="comma-separated event counts, each benchmarked in its own process "
        "(growth: e.g. 1000000,10000000,30000000); prints a JSON list",
    )
    parser.add_argument("--days", type=int, default=30, help="days the events spread over")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=["parquet", "jsonl", "jsonl.gz"],
        default="parquet",
        help="landing file format",
    )
    parser.add_argument("--repeats", type=int, default=20, help="timings per callback")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to work, kept afterwards (default: a new temp dir, removed at the end)",
    )
    parser.set_defaults(handler=run_bench_command)


def run_bench_command(args: argparse.Namespace) -> int:
    from ecom_analytics.benchmarks.bench import BenchConfig, main

    return main(
        BenchConfig(
            events=args.events,
            days=args.days,
            fmt=args.fmt,
            callback_repeats=args.repeats,
            workdir=args.workdir,
        ),
        sizes=args.sizes,
    )


def add_dbt_parse_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dbt-parse",
        help="write dbt_project/target/manifest.json when missing or stale",
        description="Run `dbt parse` when the manifest is missing or older than the project.",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="parse even when the manifest is fresh: after pointing ECOM_DUCKDB_PATH at "
        "another warehouse, so that its first build does not parse the project again",
    )
    parser.set_defaults(handler=run_dbt_parse)


def run_dbt_parse(args: argparse.Namespace) -> int:
    from ecom_analytics.project import ensure_manifest

    print(ensure_manifest(force=args.force))
    return EXIT_OK
