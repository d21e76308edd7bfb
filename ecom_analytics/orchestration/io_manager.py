"""The warehouse IO manager: dagster-duckdb-pandas' `DuckDBPandasIOManager`, extended.

Four extensions, each for a gap the stock manager leaves:
- polars frames are stored and loaded too, through Arrow (zero-copy into DuckDB);
- a range of partitions can be handed over as Parquet files staged day by day
  (`StagedParquet`), so a backfill of many days is one run whose memory stays at one day;
- the "delete the partition window, then insert" pair runs in one transaction, so a run that
  dies midway leaves the previous contents, never a half-written partition;
- tables are created from the warehouse contract (`ecom_analytics.tables`) with their real
  types, also for an empty first partition, and rows are inserted by column name, so column
  order in a frame can never shift data into the wrong column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from dagster._core.definitions.metadata import TableMetadataSet
from dagster._core.storage.db_io_manager import DbIOManager, DbTypeHandler, TableSlice
from dagster._utils.backoff import backoff
from dagster_duckdb.io_manager import DuckDbClient
from dagster_duckdb_pandas import DuckDBPandasIOManager, DuckDBPandasTypeHandler

from ecom_analytics import settings, tables
from ecom_analytics.runs.fault_points import INGESTION_BEFORE_COMMIT, pause_at
from ecom_analytics.warehouse import StagedParquet

_CONTRACTS = {
    (table.schema, table.name): table
    for table in (
        *tables.RAW_TABLES.values(),
        *tables.VALIDATED_TABLES.values(),
        tables.QUARANTINE,
    )
}


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    # fetchall, not fetchone: DuckDB keeps a half-read result open and refuses the next query.
    found = connection.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(found[0][0])


def create_table_sql(schema: str, table: str, *, compressed: bool = True) -> str | None:
    """DDL for a contract table, or None when the table is not in the contract; `compressed`
    adds DuckDB's per-column compression (tables.Table.duckdb_compression)."""
    contract = _CONTRACTS.get((schema, table))
    if contract is None:
        return None
    compression = contract.duckdb_compression if compressed else {}
    columns = ", ".join(
        f"{name} {type_}"
        + (f" using compression {compression[name]}" if name in compression else "")
        for name, type_ in contract.columns.items()
    )
    return f"create table if not exists {schema}.{table} ({columns})"


class TransactionalDuckDbClient(DuckDbClient):
    """DuckDB client whose connection is one transaction: commit on success, else roll back."""

    @staticmethod
    def delete_table_slice(context: dg.OutputContext, table_slice: TableSlice, connection) -> None:
        # The stock client swallows "table does not exist", but inside a transaction that
        # error would abort it, so look before deleting.
        if table_exists(connection, table_slice.schema, table_slice.table):
            DuckDbClient.delete_table_slice(context, table_slice, connection)

    @staticmethod
    @contextmanager
    def connect(context, _) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(context.resource_config["database"]).parent.mkdir(parents=True, exist_ok=True)
        connection = backoff(
            fn=duckdb.connect,
            retry_on=(RuntimeError, duckdb.IOException),
            kwargs={
                "database": context.resource_config["database"],
                "read_only": False,
                "config": settings.duckdb_config(),
            },
            max_retries=10,
        )
        try:
            connection.execute("begin transaction")
            yield connection
            pause_at(INGESTION_BEFORE_COMMIT)
            connection.execute("commit")
        except BaseException:
            connection.execute("rollback")
            raise
        finally:
            connection.close()


class DuckDBPolarsArrowTypeHandler(DbTypeHandler[pl.DataFrame]):
    """Stores and loads polars DataFrames through Arrow."""

    def handle_output(
        self, context: dg.OutputContext, table_slice: TableSlice, obj: pl.DataFrame, connection
    ):
        name = f"{table_slice.schema}.{table_slice.table}"
        ddl = create_table_sql(table_slice.schema, table_slice.table)
        frame = obj.to_arrow()  # noqa: F841  (read by DuckDB's replacement scan)
        if ddl is not None:
            connection.execute(ddl)
        else:
            connection.execute(f"create table if not exists {name} as select * from frame limit 0")
        connection.execute(f"insert into {name} by name select * from frame")
        rows = {"partition_row_count" if context.has_partition_key else "row_count": obj.height}
        return {
            **TableMetadataSet(storage_kind="duckdb", **rows),
            "dataframe_columns": dg.MetadataValue.table_schema(
                dg.TableSchema(
                    columns=[
                        dg.TableColumn(name=column, type=str(dtype))
                        for column, dtype in obj.schema.items()
                    ]
                )
            ),
        }

    def load_input(
        self, context: dg.InputContext, table_slice: TableSlice, connection
    ) -> pl.DataFrame:
        if table_slice.partition_dimensions and len(context.asset_partition_keys) == 0:
            return pl.DataFrame()
        if not table_exists(connection, table_slice.schema, table_slice.table):
            return pl.DataFrame()
        return connection.sql(DuckDbClient.get_select_statement(table_slice)).pl()

    @property
    def supported_types(self):
        return [pl.DataFrame]


class DuckDBStagedParquetTypeHandler(DbTypeHandler[StagedParquet]):
    """Stores staged Parquet files: DuckDB reads them straight from disk into the table."""

    def handle_output(
        self, context: dg.OutputContext, table_slice: TableSlice, obj: StagedParquet, connection
    ):
        name = f"{table_slice.schema}.{table_slice.table}"
        ddl = create_table_sql(table_slice.schema, table_slice.table)
        if ddl is None:
            raise ValueError(f"{name} is not in the warehouse contract (ecom_analytics.tables)")
        connection.execute(ddl)
        if obj.files:
            files = [str(path) for path in obj.files]
            # The rows' order in the table means nothing (each row carries its file and line,
            # and every model orders by them or by keys), and DuckDB loads a third faster
            # when it need not keep the files' order.
            connection.execute("set preserve_insertion_order = false")
            connection.execute(f"insert into {name} by name select * from read_parquet(?)", [files])
            connection.execute("reset preserve_insertion_order")
        rows = {"partition_row_count" if context.has_partition_key else "row_count": obj.rows}
        return {**TableMetadataSet(storage_kind="duckdb", **rows), "staged_files": len(obj.files)}

    def load_input(self, context: dg.InputContext, table_slice: TableSlice, connection):
        raise TypeError("staged tables are loaded as polars.DataFrame; annotate the input so")

    @property
    def supported_types(self):
        return [StagedParquet]


class WarehouseIOManager(DuckDBPandasIOManager):
    """`DuckDBPandasIOManager` that also speaks polars and writes each partition atomically."""

    @staticmethod
    def type_handlers() -> Sequence[DbTypeHandler]:
        return [
            DuckDBPandasTypeHandler(),
            DuckDBPolarsArrowTypeHandler(),
            DuckDBStagedParquetTypeHandler(),
        ]

    @staticmethod
    def default_load_type() -> type | None:
        return pl.DataFrame

    def create_io_manager(self, context) -> DbIOManager:
        return DbIOManager(
            db_client=TransactionalDuckDbClient(),
            database=self.database,
            schema=self.schema_,
            type_handlers=self.type_handlers(),
            default_load_type=self.default_load_type(),
            io_manager_name="WarehouseIOManager",
        )
