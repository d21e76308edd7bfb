"""DuckDB, the embedded default: one file (`ECOM_DUCKDB_PATH`) that Dagster and dbt write."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
from dagster._utils.backoff import backoff

from ecom_analytics import settings
from ecom_analytics.engines.base import (
    Params,
    Warehouse,
    query_duckdb,
    read_at_run_start,
    run_resources,
    select_list,
)
from ecom_analytics.orchestration.io_manager import WarehouseIOManager, table_exists


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass
class DuckDBSession:
    connection: duckdb.DuckDBPyConnection

    def query(self, sql: str, params: Params = None) -> pl.DataFrame:
        return self.connection.sql(sql, params=params or []).pl()


class DuckDBWarehouse(Warehouse):
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

    @contextmanager
    def held_open(self) -> Iterator[None]:
        # The connections this process opens meanwhile (the IO manager's too: same file, same
        # config) share this one's database instead of each loading the catalogue and
        # checkpointing at its close: 14 opens, 0.8 s, in the ingestion of one day at 10 M.
        with self.connect():
            yield

    @contextmanager
    def session(self) -> Iterator[DuckDBSession]:
        with self.connect() as connection:
            yield DuckDBSession(connection)

    def query(self, sql: str, params: Params = None, **frames: pl.DataFrame) -> pl.DataFrame:
        with self.connect() as connection:
            return query_duckdb(connection, sql, params, frames)

    def has_table(self, schema: str, table: str) -> bool:
        with self.connect() as connection:
            return table_exists(connection, schema, table)

    def json_string(self, column: str, *path: str) -> str:
        return f"json_extract_string({column}, '$.{'.'.join(path)}')"

    def copy_schema(
        self,
        schema: str,
        target: duckdb.DuckDBPyConnection,
        tables: Collection[str],
        columns: Mapping[str, Sequence[str]] | None = None,
    ) -> list[str]:
        # Attached read-only into the snapshot's own connection: no second process opens it.
        if not Path(self.path).exists():
            return []
        target.execute("attach ? as warehouse (read_only)", [self.path])
        try:
            names = [
                name
                for (name,) in target.execute(
                    "select table_name from information_schema.tables"
                    " where table_catalog = 'warehouse' and table_schema = ?"
                    " order by table_name",
                    [schema],
                ).fetchall()
                if name in tables
            ]
            for name in names:
                target.execute(
                    f"create table {_quote(schema)}.{_quote(name)} as"
                    f" select {select_list(name, columns)}"
                    f" from warehouse.{_quote(schema)}.{_quote(name)}"
                )
        finally:
            target.execute("detach warehouse")
        return names


class DuckDBEngine:
    name = "duckdb"

    def warehouse(self) -> DuckDBWarehouse:
        return DuckDBWarehouse(path=str(settings.warehouse_path()))

    def resources(self) -> dict[str, object]:
        """The IO manager (one partition window per transaction) and reads, on one file."""
        path = read_at_run_start(settings.WAREHOUSE_ENV, str(settings.warehouse_path()))
        return run_resources(WarehouseIOManager(database=path), DuckDBWarehouse(path=path))

    def dbt_env(self) -> dict[str, str]:
        return {
            settings.WAREHOUSE_ENV: str(settings.warehouse_path()),
            settings.DUCKDB_MEMORY_LIMIT_ENV: settings.duckdb_memory_limit(),
        }


engine = DuckDBEngine()
