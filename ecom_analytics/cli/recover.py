"""`ecom-analytics recover`: fail the runs whose process is gone and free their slots."""

from __future__ import annotations

import argparse

from ecom_analytics.cli.common import EXIT_OK


def add_recover_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "recover",
        help="mark runs whose process is gone failed and free their concurrency slots",
        description=(
            "Find runs in $DAGSTER_HOME that are still STARTED although their process is gone "
            "(kill -9, out of memory, reboot), mark them failed, stop a dbt they left running, "
            "remove their temporary files and free their duckdb_writer slot. `materialize`, "
            "`demo` and the landing sensor do this by themselves before starting a run; this "
            "command is for a run launched from the UI while nothing else runs."
        ),
    )
    parser.set_defaults(handler=run_recover)


def run_recover(args: argparse.Namespace) -> int:
    import dagster as dg

    from ecom_analytics.orchestration.instance import ensure_dagster_home
    from ecom_analytics.runs.recovery import recover_dead_runs

    ensure_dagster_home()
    with dg.DagsterInstance.get() as instance:
        failed = recover_dead_runs(instance)
    print(f"{len(failed)} run(s) marked failed" if failed else "no dead run found")
    return EXIT_OK
