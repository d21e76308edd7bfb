"""Rows of a raw table written by hand for the validation tests: records of one landing file."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

DAY = date(2024, 3, 5)  # its day ends at 2024-03-06 00:00:00 UTC


def raw_frame(*records: dict | str, source_file: str = "events/date=2024-03-05/e.jsonl"):
    """One raw row per record (a dict, or text exactly as landed) of DAY, lines 1, 2, ..."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return pl.DataFrame(
        {
            "partition_date": [DAY] * len(lines),
            "source_file": [source_file] * len(lines),
            "source_line": list(range(1, len(lines) + 1)),
            "raw_record": lines,
            "read_error": pl.Series([None] * len(lines), dtype=pl.String),
        }
    )
