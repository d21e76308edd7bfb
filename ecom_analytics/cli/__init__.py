"""`ecom-analytics`: the command line of the product."""

from __future__ import annotations

import argparse
from typing import NoReturn

from ecom_analytics.cli.bench import add_bench_parser, add_dbt_parse_parser
from ecom_analytics.cli.common import EXIT_BAD_ARGS
from ecom_analytics.cli.dashboard import add_dashboard_parser, add_screenshots_parser
from ecom_analytics.cli.demo import add_demo_parser
from ecom_analytics.cli.generate import add_generate_parser
from ecom_analytics.cli.import_files import add_import_parser
from ecom_analytics.cli.materialize import add_materialize_parser
from ecom_analytics.cli.recover import add_recover_parser

_COMMANDS = (
    add_generate_parser,
    add_import_parser,
    add_materialize_parser,
    add_recover_parser,
    add_dashboard_parser,
    add_screenshots_parser,
    add_demo_parser,
    add_bench_parser,
    add_dbt_parse_parser,
)


class _Parser(argparse.ArgumentParser):
    """Bad arguments get one line on stderr and exit code 2 (subcommands inherit the class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_ARGS, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ecom-analytics",
        description=(
            "Daily-partitioned e-commerce analytics: landing files validated with Pandera into "
            "DuckDB, modelled by dbt, orchestrated by Dagster, explored in a Dash dashboard."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
