"""`ecom-analytics materialize --start D --end D`."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ecom_analytics.cli.common import EXIT_BAD_ARGS, EXIT_FAILED, EXIT_OK, iso_date

PROG = "ecom-analytics materialize"


def add_materialize_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "materialize",
        help="materialize every asset for a range of days through Dagster",
        description=(
            "Ingest and validate every day from START to END (both included), build the dbt "
            "marts and publish the dashboard snapshot, in one Dagster run over the range. The "
            "run is recorded in $DAGSTER_HOME and shows in the Dagster UI. Exits 1 when the "
            "run or a blocking check fails, 2 on bad arguments."
        ),
    )
    parser.add_argument("--start", type=iso_date, required=True, help="first day, YYYY-MM-DD")
    parser.add_argument("--end", type=iso_date, required=True, help="last day, YYYY-MM-DD")
    parser.set_defaults(handler=run_materialize)


def run_materialize(args: argparse.Namespace) -> int:
    return materialize_days(args.start, args.end)


def materialize_days(start: date, end: date) -> int:
    """Materialize start..end through the `$DAGSTER_HOME` instance; returns the exit code."""
    from ecom_analytics.runs.materialize import MaterializeError, check_range

    # Bad arguments fail before anything slow (dbt parse, loading the definitions) starts.
    try:
        check_range(start, end)
    except MaterializeError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_BAD_ARGS

    import dagster as dg

    from ecom_analytics.orchestration.instance import ensure_dagster_home
    from ecom_analytics.project import ensure_manifest
    from ecom_analytics.runs.materialize import materialize_range

    ensure_dagster_home()
    ensure_manifest()
    from ecom_analytics.definitions import defs

    with dg.DagsterInstance.get() as instance:
        report = materialize_range(defs, start, end, instance)
    print(report.summary(), file=sys.stdout if report.success else sys.stderr)
    return EXIT_OK if report.success else EXIT_FAILED
