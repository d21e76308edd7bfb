"""The Spark engine's IO manager: each day of a Python-built table becomes one Parquet file.

An output covers a partition window (a day, or a backfill's range); every day of the window
is replaced, from the output's rows of that day, or by an empty file when it has none, as
the DuckDB and PostgreSQL IO managers delete the window before inserting. Each day is
replaced atomically (engines/spark_lake.py): a run killed midway leaves every day either as
it was or as the run wrote it, and re-running the window rewrites them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import polars as pl
from dagster._core.definitions.metadata import TableMetadataSet

from ecom_analytics import tables
from ecom_analytics.engines import spark_lake
from ecom_analytics.engines.spark_engine import SparkWarehouse, contract_table_sql
from ecom_analytics.orchestration.io_manager import StagedParquet
from ecom_analytics.runs.fault_points import INGESTION_BEFORE_COMMIT, pause_at

_CONTRACTS = {
    tuple(table.key): table
    for table in (
        *tables.RAW_TABLES.values(),
        *tables.VALIDATED_TABLES.values(),
        tables.QUARANTINE,
    )
}


def _contract(key: dg.AssetKey) -> tables.Table:
    table = _CONTRACTS.get(tuple(key.path))
    if table is None:
        raise ValueError(f"{key.to_user_string()} is not in the warehouse contract (tables.py)")
    return table


def _window_days(context: dg.OutputContext | dg.InputContext) -> list[date]:
    window = context.asset_partitions_time_window
    first, end = window.start.date(), window.end.date()
    return [first + timedelta(days=n) for n in range((end - first).days)]


def _frames_by_day(obj: StagedParquet | pl.DataFrame) -> Iterator[tuple[date, pl.DataFrame]]:
    """(day, all the output's rows of that day) for every day the output holds rows of; staged
    files are read a day at a time, so memory stays at one day."""
    column = tables.PARTITION_COLUMN
    if isinstance(obj, pl.DataFrame):
        if obj.is_empty():
            return
        for (day,), rows in obj.partition_by(column, as_dict=True).items():
            yield day, rows
        return
    files_by_day: dict[date, list[Path]] = {}
    for path in obj.files:
        for day in pl.scan_parquet(path).select(column).unique().collect()[column]:
            files_by_day.setdefault(day, []).append(path)
    for day, files in sorted(files_by_day.items()):
        yield day, pl.scan_parquet(files).filter(pl.col(column) == day).collect()


class SparkIOManager(dg.ConfigurableIOManager):
    """Stores the ingestion assets' tables under `root` (`ECOM_SPARK_DIR`), one file a day."""

    root: str

    def handle_output(self, context: dg.OutputContext, obj: StagedParquet | pl.DataFrame) -> None:
        table = _contract(context.asset_key)
        root = Path(self.root)
        days = _window_days(context)
        written: set[date] = set()
        rows = 0
        pause_at(INGESTION_BEFORE_COMMIT)
        for day, frame in _frames_by_day(obj):
            if day not in days:
                raise ValueError(f"{table.qualified}: rows of {day} outside the output's window")
            rows += spark_lake.write_day(table, day, frame, root)
            written.add(day)
        for day in days:
            if day not in written:
                spark_lake.write_empty_day(table, day, root)
        key = "partition_row_count" if context.has_partition_key else "row_count"
        context.add_output_metadata(dict(TableMetadataSet(storage_kind="parquet", **{key: rows})))

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        table = _contract(context.asset_key)
        days = _window_days(context)
        return SparkWarehouse(root=self.root).query(
            f"select * from ({contract_table_sql(table, Path(self.root))})"
            f" where {tables.PARTITION_COLUMN} >= ? and {tables.PARTITION_COLUMN} <= ?",
            [days[0], days[-1]],
        )
