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


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from error
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value
