"""Argument types and exit codes shared by the CLI commands."""

from __future__ import annotations

import argparse
from datetime import date

EXIT_OK = 0
EXIT_FAILED = 1  # a run, a check or a step failed
EXIT_BAD_ARGS = 2  # argparse's own code for bad arguments


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def prepare_dbt_manifest() -> None:
    """Make sure dbt's manifest.json exists before the definitions load (they read it).

    Only `dagster dev` parses the dbt project by itself; every other entry point calls this.
    """
    import importlib
    from importlib.machinery import PathFinder

    import ecom_analytics

    # The dbt project object lives in ecom_analytics.project once the dbt assets are wired in.
    # Looked up in this package's own folder only, never in another install of the package.
    if PathFinder.find_spec("project", list(ecom_analytics.__path__)) is not None:
        importlib.import_module("ecom_analytics.project").ensure_manifest()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from error
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value
