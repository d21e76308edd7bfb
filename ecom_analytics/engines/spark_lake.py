"""The Parquet folders the Spark engine keeps its tables in, and how each day is replaced.

Layout, under `settings.spark_dir()`:

    <schema>/<table>/partition_date=YYYY-MM-DD/part-0.parquet   tables the Python side writes
    warehouse/<schema>.db/<model>/[<day column>=YYYY-MM-DD/]*.parquet   dbt models (Spark's own)
    metastore_db/                                                Spark's table catalogue

A day of a Python-written table is one Parquet file without the partition column (Spark reads
it from the folder name, as dbt_project/macros/spark_sources.sql declares). The file is
written beside its final name and renamed over it, so a reader sees the old day or the new
one, never half of either, and a run killed mid-write leaves the previous day in place.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import date
from pathlib import Path

import polars as pl

from ecom_analytics import settings, tables

DAY_FILE = "part-0.parquet"
# dbt's models are Spark managed tables: one folder per table in `<schema>.db`.
WAREHOUSE_FOLDER = "warehouse"


def table_dir(table: tables.Table, root: Path | None = None) -> Path:
    """Folder of a Python-written table: `<spark dir>/<schema>/<table>`."""
    return (root or settings.spark_dir()) / table.schema / table.name


def day_dir(table: tables.Table, day: date, root: Path | None = None) -> Path:
    return table_dir(table, root) / f"{tables.PARTITION_COLUMN}={day.isoformat()}"


def model_dir(schema: str, name: str, root: Path | None = None) -> Path:
    """Folder of a dbt model's table (Spark's default location for a managed table)."""
    return (root or settings.spark_dir()) / WAREHOUSE_FOLDER / f"{schema}.db" / name


def write_day(table: tables.Table, day: date, frame: pl.DataFrame, root: Path | None = None) -> int:
    """Replace day `day` of `table` with `frame`'s rows (all of that day); returns the rows.

    An empty frame leaves an empty file, so the day still replaces what was there.
    """
    folder = day_dir(table, day, root)
    folder.mkdir(parents=True, exist_ok=True)
    # The contract's types, which the Spark tables declare: a wider integer in the file than
    # in the table (Int64 for INTEGER) is an error when Spark reads it.
    columns = [
        pl.col(name).cast(dtype)
        for name, dtype in _polars_schema(table).items()
        if name != tables.PARTITION_COLUMN
    ]
    # A hidden name: Spark and the readers below skip files starting with a dot.
    scratch = folder / f".{uuid.uuid4().hex}.parquet.tmp"
    try:
        frame.select(columns).write_parquet(scratch, compression="zstd")
        os.replace(scratch, folder / DAY_FILE)
    finally:
        scratch.unlink(missing_ok=True)
    return frame.height


def write_empty_day(table: tables.Table, day: date, root: Path | None = None) -> None:
    """Replace day `day` of `table` with no rows."""
    write_day(table, day, pl.DataFrame(schema=_polars_schema(table)), root)


def remove_table(table: tables.Table, root: Path | None = None) -> None:
    shutil.rmtree(table_dir(table, root), ignore_errors=True)


def days_on_disk(table: tables.Table, root: Path | None = None) -> list[date]:
    folder = table_dir(table, root)
    if not folder.is_dir():
        return []
    prefix = f"{tables.PARTITION_COLUMN}="
    return sorted(
        date.fromisoformat(entry.name.removeprefix(prefix))
        for entry in folder.iterdir()
        if entry.name.startswith(prefix) and (entry / DAY_FILE).exists()
    )


_POLARS_TYPES = {
    "VARCHAR": pl.String,
    "TIMESTAMP": pl.Datetime("us"),
    "INTEGER": pl.Int32,
    "BIGINT": pl.Int64,
    "DATE": pl.Date,
    "BOOLEAN": pl.Boolean,
    "DECIMAL(18,2)": pl.Decimal(18, 2),
    "VARCHAR[]": pl.List(pl.String),
}


def _polars_schema(table: tables.Table) -> dict[str, pl.DataType]:
    return {name: _POLARS_TYPES[type_] for name, type_ in table.columns.items()}
