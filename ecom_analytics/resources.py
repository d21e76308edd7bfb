"""Dagster resources: the warehouse IO manager and a connection factory for lookups and checks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster._utils.backoff import backoff

from ecom_analytics import settings
from ecom_analytics.io_manager import WarehouseIOManager, table_exists


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file. Connections are short and retried while another process
    holds the file, since DuckDB admits one writing process at a time."""

    path: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        connection = backoff(
            fn=duckdb.connect,
            retry_on=(duckdb.IOException,),
            kwargs={"database": self.path, "config": settings.duckdb_config()},
            max_retries=20,
        )
        try:
            yield connection
        finally:
            connection.close()

    def query(
        self, sql: str, params: list | dict | None = None, **frames: pl.DataFrame
    ) -> pl.DataFrame:
        """Run a parameterized query; keyword frames are visible to it as tables by name."""
        with self.connect() as connection:
            for name, frame in frames.items():
                connection.register(name, frame.to_arrow())
            return connection.sql(sql, params=params or []).pl()

    def has_table(self, schema: str, table: str) -> bool:
        with self.connect() as connection:
            return table_exists(connection, schema, table)


def build_resources() -> dict[str, object]:
    from ecom_analytics.project import dbt_cli_resource  # imports dagster-dbt: only when wiring

    # Resolved when a run starts, not when definitions load, so the path a process (or a
    # test) sets before a run is the one every writer and dbt use.
    os.environ.setdefault(settings.WAREHOUSE_ENV, str(settings.warehouse_path()))
    path = dg.EnvVar(settings.WAREHOUSE_ENV)
    return {
        # Stores every Python-built table, one partition per transaction.
        "io_manager": WarehouseIOManager(database=path),
        # Lookups (catalogue, earlier event ids) and asset checks read through this.
        "warehouse": Warehouse(path=path),
        # Runs `dbt build` for the dbt assets, against the same warehouse file.
        "dbt": dbt_cli_resource(),
    }
