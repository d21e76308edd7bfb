"""Apache Spark: dbt builds the models with Spark (dbt-spark), over Parquet tables.

Everything lives under `ECOM_SPARK_DIR` (engines/spark_lake.py): the ingestion assets write
each day of raw.*, validated.* and quality.quarantine as a Parquet folder, the dbt run
declares those folders as Spark tables and writes its models as Spark-managed Parquet tables.

Only the dbt process starts Spark (a JVM of a few hundred MB, and the embedded table
catalogue admits one process at a time). The Python side's reads (lookups, checks, the
dashboard snapshot) read the same Parquet files through an in-memory DuckDB, one view per
table, so they take the SQL they take on DuckDB and never wait for a JVM.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from ecom_analytics import settings, tables
from ecom_analytics.engines import spark_lake
from ecom_analytics.engines.base import (
    Params,
    Warehouse,
    query_duckdb,
    read_at_run_start,
    run_resources,
    select_list,
)

SPARK_CONF_DIR = settings.DBT_PROJECT_DIR / "spark"

# Python-written tables, by (schema, table).
_CONTRACTS = {
    (table.schema, table.name): table
    for table in (
        *tables.RAW_TABLES.values(),
        *tables.VALIDATED_TABLES.values(),
        tables.QUARANTINE,
    )
}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _model_files(folder: Path) -> str:
    """Glob of a Spark table's data files: in its day folders (`<column>=<value>/`) when it
    is partitioned, else in the folder itself. Spark's unfinished writes (`_temporary/`,
    `.spark-staging-*/`) sit elsewhere, and its checksums end in `.crc`."""
    partitioned = any(child.is_dir() and "=" in child.name for child in folder.iterdir())
    return f"{folder}/*=*/*.parquet" if partitioned else f"{folder}/*.parquet"


def _has_parquet(folder: Path) -> bool:
    if not folder.is_dir():
        return False
    pattern = _model_files(folder).removeprefix(f"{folder}/")
    return any(not path.name.startswith((".", "_")) for path in folder.glob(pattern))


def contract_table_sql(table: tables.Table, root: Path) -> str:
    """A select of a Python-written table with the contract's columns, order and types."""
    folder = spark_lake.table_dir(table, root)
    if not _has_parquet(folder):
        nulls = ", ".join(
            f"cast(null as {type_}) as {_quote(name)}" for name, type_ in table.columns.items()
        )
        return f"select {nulls} where false"
    columns = ", ".join(
        f"cast({_quote(name)} as {type_}) as {_quote(name)}"
        for name, type_ in table.columns.items()
    )
    files = _literal(f"{folder}/{tables.PARTITION_COLUMN}=*/{spark_lake.DAY_FILE}")
    partition = _literal(tables.PARTITION_COLUMN)
    return (
        f"select {columns} from read_parquet({files}, hive_partitioning = true,"
        f" hive_types = {{{partition}: date}})"
    )


def model_table_sql(folder: Path) -> str:
    """A select of a dbt model's Spark table: its Parquet files, the day folders' column too."""
    files = _literal(_model_files(folder))
    return f"select * from read_parquet({files}, hive_partitioning = true)"


def empty_model(schema: str, table: str) -> pl.DataFrame | None:
    """No rows, with the columns of the model's Pandera check; None for a model without one.

    Spark writes no file for a partitioned table without rows (e.g. `stg_quarantine` when
    nothing was quarantined), so its columns cannot be read from disk.
    """
    from ecom_analytics.checks.dbt_models import MODEL_CHECKS  # imports engines: not at load

    for model in MODEL_CHECKS:
        if (model.schema, model.table) == (schema, table):
            columns = model.pandera_schema.columns.items()
            # The check's types are dbt's (the yml's data_type), as polars types.
            return pl.DataFrame(schema={name: column.dtype.type for name, column in columns})
    return None


def table_selects(root: Path) -> dict[tuple[str, str], str | pl.DataFrame]:
    """Every table present under `root`, by (schema, table): a select of its rows, or an
    empty frame with its columns for a model Spark left without files."""
    found: dict[tuple[str, str], str | pl.DataFrame] = {
        key: contract_table_sql(table, root) for key, table in _CONTRACTS.items()
    }
    models = root / spark_lake.WAREHOUSE_FOLDER
    if models.is_dir():
        for schema_dir in sorted(models.glob("*.db")):
            schema = schema_dir.name.removesuffix(".db")
            for folder in sorted(schema_dir.iterdir()):
                key = (schema, folder.name)
                if key in _CONTRACTS or not folder.is_dir():
                    continue
                if _has_parquet(folder):
                    found[key] = model_table_sql(folder)
                elif (empty := empty_model(*key)) is not None:
                    found[key] = empty
    return found


def define_table(
    connection: duckdb.DuckDBPyConnection,
    key: tuple[str, str],
    source: str | pl.DataFrame,
    kind: str = "view",
) -> None:
    """`create <kind> schema.table` in `connection` from a select or an empty frame."""
    name = f"{_quote(key[0])}.{_quote(key[1])}"
    if isinstance(source, str):
        connection.execute(f"create {kind} {name} as {source}")
        return
    scratch = f"empty_{key[0]}_{key[1]}"
    connection.register(scratch, source.to_arrow())
    connection.execute(f"create table {name} as select * from {_quote(scratch)}")
    connection.unregister(scratch)


@dataclass
class ParquetReader:
    connection: duckdb.DuckDBPyConnection

    def query(self, sql: str, params: Params = None) -> pl.DataFrame:
        return self.connection.sql(sql, params=params or []).pl()


class SparkWarehouse(Warehouse):
    """Reads of the Spark engine's tables (`root` is `ECOM_SPARK_DIR`), through DuckDB views
    over their Parquet files: `"marts"."fct_orders"` reads as it does on DuckDB."""

    root: str

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        connection = duckdb.connect(config=settings.duckdb_config())
        try:
            selects = table_selects(Path(self.root))
            for schema in sorted({schema for schema, _ in selects}):
                connection.execute(f"create schema {_quote(schema)}")
            for key, source in selects.items():
                define_table(connection, key, source)
            yield connection
        finally:
            connection.close()

    @contextmanager
    def session(self) -> Iterator[ParquetReader]:
        with self.connect() as connection:
            yield ParquetReader(connection)

    def query(self, sql: str, params: Params = None, **frames: pl.DataFrame) -> pl.DataFrame:
        with self.connect() as connection:
            return query_duckdb(connection, sql, params, frames)

    def has_table(self, schema: str, table: str) -> bool:
        root = Path(self.root)
        contract = _CONTRACTS.get((schema, table))
        if contract is not None:
            folder = spark_lake.table_dir(contract, root)
            return _has_parquet(folder)
        folder = spark_lake.model_dir(schema, table, root)
        return _has_parquet(folder) or (folder.is_dir() and empty_model(schema, table) is not None)

    def json_string(self, column: str, *path: str) -> str:
        return f"json_extract_string({column}, '$.{'.'.join(path)}')"

    def copy_schema(
        self,
        schema: str,
        target: duckdb.DuckDBPyConnection,
        tables: Collection[str],
        columns: Mapping[str, Sequence[str]] | None = None,
    ) -> list[str]:
        # The snapshot's own connection reads the Parquet files: nothing else opens them.
        selects = table_selects(Path(self.root))
        names = sorted(name for (owner, name) in selects if owner == schema and name in tables)
        for name in names:
            source = f"select {select_list(name, columns)} from ({selects[(schema, name)]})"
            define_table(target, (schema, name), source, kind="table")
        return names


class SparkEngine:
    name = "spark"

    def warehouse(self) -> SparkWarehouse:
        return SparkWarehouse(root=str(settings.spark_dir()))

    def resources(self) -> dict[str, object]:
        from ecom_analytics.engines.spark_io import SparkIOManager

        # The IO manager writes each day of the Python-built tables as one Parquet file,
        # renamed into place.
        root = read_at_run_start(settings.SPARK_DIR_ENV, str(settings.spark_dir()))
        return run_resources(SparkIOManager(root=root), SparkWarehouse(root=root))

    def dbt_env(self) -> dict[str, str]:
        return {
            settings.SPARK_DIR_ENV: str(settings.spark_dir()),
            # Spark's logging configuration (dbt_project/spark/log4j2.properties), unless one
            # is chosen already.
            "SPARK_CONF_DIR": os.environ.get("SPARK_CONF_DIR", str(SPARK_CONF_DIR)),
        }


engine = SparkEngine()
