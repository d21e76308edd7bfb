"""The PostgreSQL IO manager: the ingestion assets' tables stored with COPY, one partition
window per transaction.

Built on Dagster's `DbIOManager` like the DuckDB one (orchestration/io_manager.py), with the same
guarantees: the delete of the output's partition window and the insert of its rows commit
together (a run killed midway leaves the previous rows), tables are created from the
warehouse contract (`ecom_analytics.tables`) with their real types, and rows go in by column
name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import dagster as dg
import polars as pl
import psycopg
from dagster._core.definitions.metadata import TableMetadataSet
from dagster._core.storage.db_io_manager import DbClient, DbIOManager, DbTypeHandler, TableSlice
from dagster_duckdb.io_manager import DuckDbClient, _get_cleanup_statement

from ecom_analytics import tables
from ecom_analytics.engines.postgres_engine import PostgresWarehouse, copy_frame, frame_from_cursor
from ecom_analytics.orchestration.io_manager import StagedParquet, create_table_sql
from ecom_analytics.runs.fault_points import INGESTION_BEFORE_COMMIT, pause_at

# Created with the quarantine table: late-data planning reads fields of quarantined records,
# some of which are not JSON at all (PostgreSQL 15 has no `is json` test).
_TRY_JSONB = """
create or replace function quality.try_jsonb(value text) returns jsonb
language plpgsql immutable as $$
begin
    return value::jsonb;
exception when others then
    return null;
end
$$
"""


def _table_exists(cursor: psycopg.Cursor, schema: str, table: str) -> bool:
    cursor.execute(
        "select count(*) from information_schema.tables where table_schema = %s"
        " and table_name = %s",
        [schema, table],
    )
    return bool(cursor.fetchall()[0][0])


def _create_contract_table(cursor: psycopg.Cursor, table_slice: TableSlice) -> None:
    name = f"{table_slice.schema}.{table_slice.table}"
    ddl = create_table_sql(table_slice.schema, table_slice.table, compressed=False)
    if ddl is None:
        raise ValueError(f"{name} is not in the warehouse contract (ecom_analytics.tables)")
    cursor.execute(ddl)
    if (table_slice.schema, table_slice.table) == (
        tables.QUARANTINE.schema,
        tables.QUARANTINE.name,
    ):
        cursor.execute(_TRY_JSONB)


class PostgresDbClient(DbClient):
    """One connection per output, used as one transaction: commit on success, else roll back."""

    def __init__(self, warehouse: PostgresWarehouse):
        self.warehouse = warehouse

    @staticmethod
    def delete_table_slice(context: dg.OutputContext, table_slice: TableSlice, connection) -> None:
        with connection.cursor() as cursor:
            if _table_exists(cursor, table_slice.schema, table_slice.table):
                cursor.execute(_get_cleanup_statement(table_slice))

    @staticmethod
    def ensure_schema_exists(context, table_slice: TableSlice, connection) -> None:
        connection.execute(f"create schema if not exists {table_slice.schema}")

    @staticmethod
    def get_select_statement(table_slice: TableSlice) -> str:
        return DuckDbClient.get_select_statement(table_slice)

    @contextmanager
    def connect(self, context, _) -> Iterator[psycopg.Connection]:
        connection = psycopg.connect(**self.warehouse.connection_kwargs())
        try:
            yield connection
            pause_at(INGESTION_BEFORE_COMMIT)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()


def _row_metadata(context: dg.OutputContext, rows: int) -> dict:
    key = "partition_row_count" if context.has_partition_key else "row_count"
    return dict(TableMetadataSet(storage_kind="postgres", **{key: rows}))


class PostgresPolarsTypeHandler(DbTypeHandler[pl.DataFrame]):
    """Stores and loads polars DataFrames."""

    def handle_output(self, context, table_slice: TableSlice, obj: pl.DataFrame, connection):
        with connection.cursor() as cursor:
            _create_contract_table(cursor, table_slice)
            copy_frame(cursor, table_slice.schema, table_slice.table, obj)
        return _row_metadata(context, obj.height)

    def load_input(self, context: dg.InputContext, table_slice: TableSlice, connection):
        if table_slice.partition_dimensions and len(context.asset_partition_keys) == 0:
            return pl.DataFrame()
        with connection.cursor() as cursor:
            if not _table_exists(cursor, table_slice.schema, table_slice.table):
                return pl.DataFrame()
            cursor.execute(DuckDbClient.get_select_statement(table_slice))
            return frame_from_cursor(cursor)

    @property
    def supported_types(self):
        return [pl.DataFrame]


class PostgresStagedParquetTypeHandler(DbTypeHandler[StagedParquet]):
    """Stores staged Parquet files, one file (a day) in memory at a time."""

    def handle_output(self, context, table_slice: TableSlice, obj: StagedParquet, connection):
        with connection.cursor() as cursor:
            _create_contract_table(cursor, table_slice)
            for path in obj.files:
                copy_frame(cursor, table_slice.schema, table_slice.table, pl.read_parquet(path))
        return {**_row_metadata(context, obj.rows), "staged_files": len(obj.files)}

    def load_input(self, context: dg.InputContext, table_slice: TableSlice, connection):
        raise TypeError("staged tables are loaded as polars.DataFrame; annotate the input so")

    @property
    def supported_types(self):
        return [StagedParquet]


class PostgresIOManager(dg.ConfigurableIOManagerFactory):
    """Stores the Python-built tables in the PostgreSQL warehouse, one partition window per
    transaction."""

    warehouse: PostgresWarehouse

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler]:
        return [PostgresPolarsTypeHandler(), PostgresStagedParquetTypeHandler()]

    def create_io_manager(self, context) -> DbIOManager:
        return DbIOManager(
            db_client=PostgresDbClient(self.warehouse),
            database=self.warehouse.dbname,
            schema=None,
            type_handlers=self.type_handlers(),
            default_load_type=pl.DataFrame,
            io_manager_name="PostgresIOManager",
        )
