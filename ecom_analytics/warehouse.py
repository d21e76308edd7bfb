"""What the pipeline's plain Python code needs of the warehouse, with no Dagster in it.

Ingestion (`ecom_analytics/ingestion/`) reads the warehouse for lookups that span days and
hands its output over as staged Parquet files; it sees the warehouse only through the
protocols below. The engines (`ecom_analytics/engines/`) implement them as Dagster resources,
and the IO managers (`ecom_analytics/orchestration/io_manager.py`, `engines/*_io.py`) store
`StagedParquet`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

Params = list | dict | None


class Reader(Protocol):
    """One open connection, for many reads in a row (checks read a window day by day)."""

    def query(self, sql: str, params: Params = None) -> pl.DataFrame: ...


class Lookups(Protocol):
    """The reads ingestion makes: the catalogue before a window, event ids already stored.

    `ecom_analytics.engines.base.Warehouse` is the implementation; this protocol keeps the
    ingestion package free of the resource (and so of Dagster).
    """

    def query(self, sql: str, params: Params = None, **frames: pl.DataFrame) -> pl.DataFrame: ...

    def session(self) -> AbstractContextManager[Reader]: ...

    def has_table(self, schema: str, table: str) -> bool: ...

    def json_string(self, column: str, *path: str) -> str: ...


@dataclass(frozen=True)
class StagedParquet:
    """A table's rows for a partition window, staged as Parquet files (one or more per day)."""

    files: tuple[Path, ...]
    rows: int
