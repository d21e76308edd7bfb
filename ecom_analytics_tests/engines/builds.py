"""The hand-made dataset (ecom_analytics_tests/dbt/dataset.py) built by dbt on each engine.

A leg loads the dataset's validated tables into a fresh warehouse on its engine, runs one
`dbt build` (unit tests included) over the dataset's three days with `ECOM_WAREHOUSE` set to
the engine, and returns a `Warehouse` to read the marts from. A new engine adds its leg to
`LEGS`; the equality test then compares its marts with DuckDB's. Spark's comparison is in
test_spark_pipeline.py, on the marts of its end-to-end run, so that Spark starts once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from ecom_analytics import settings, tables
from ecom_analytics.assets.dbt_env import dbt_window_env, environment
from ecom_analytics.engines import Warehouse
from ecom_analytics.engines.duckdb_engine import DuckDBWarehouse
from ecom_analytics.orchestration.io_manager import create_table_sql
from ecom_analytics.project import dbt_cli_resource, dbt_vars_args, export_dbt_environment
from ecom_analytics_tests.dbt import dataset
from ecom_analytics_tests.dbt.warehouse import load_dataset

DATASET_ROWS = (
    (tables.VALIDATED_EVENTS, dataset.EVENTS),
    (tables.VALIDATED_PRODUCTS, dataset.PRODUCTS),
    (tables.VALIDATED_USERS, dataset.USERS),
    (tables.QUARANTINE, dataset.QUARANTINE),
)
START, END = dataset.DAY_1, dataset.DAY_3.replace(day=4)


def dataset_frame(table: tables.Table, rows: list[dict]) -> pl.DataFrame:
    """The dataset's rows of a contract table, every contract column present."""
    rows = [{name: row.get(name) for name in table.columns} for row in rows]
    return pl.DataFrame(rows, infer_schema_length=None)


def run_dbt_build(target_dir: Path) -> None:
    """One `dbt build` over the dataset's days on the engine the environment selects."""
    export_dbt_environment()
    args = ["build", *dbt_vars_args()]
    with environment(dbt_window_env(START, END)):
        invocation = dbt_cli_resource().cli(args, target_path=target_dir, raise_on_error=False)
    invocation.wait()
    assert invocation.is_successful(), invocation.get_error()


def build_on_duckdb(folder: Path, request: pytest.FixtureRequest) -> Warehouse:
    """The DuckDB leg: the dataset loaded into a fresh file, then one dbt build."""
    database = folder / "warehouse.duckdb"
    load_dataset(database)
    with environment({settings.ENGINE_ENV: "duckdb", settings.WAREHOUSE_ENV: str(database)}):
        run_dbt_build(folder / "target")
    return DuckDBWarehouse(path=str(database))


def postgres_env(server, database: str) -> dict[str, str]:
    """The product's variables for a database of the test server."""
    return {
        settings.ENGINE_ENV: "postgres",
        "ECOM_POSTGRES_HOST": "127.0.0.1",
        "ECOM_POSTGRES_PORT": str(server.port),
        "ECOM_POSTGRES_USER": "postgres",
        "ECOM_POSTGRES_PASSWORD": "",
        "ECOM_POSTGRES_DB": database,
    }


def build_on_postgres(folder: Path, request: pytest.FixtureRequest) -> Warehouse:
    """The PostgreSQL leg: the dataset copied into a fresh database, then one dbt build."""
    from ecom_analytics.engines.postgres_engine import copy_frame

    server = request.getfixturevalue("postgres_server")
    name = f"marts_{uuid.uuid4().hex[:8]}"
    server.create_database(name)
    with environment(postgres_env(server, name)):
        warehouse = settings_warehouse()
        with warehouse.connect() as connection, connection.cursor() as cursor:
            for table, rows in DATASET_ROWS:
                cursor.execute(f"create schema if not exists {table.schema}")
                cursor.execute(create_table_sql(table.schema, table.name, compressed=False))
                copy_frame(cursor, table.schema, table.name, dataset_frame(table, rows))
        run_dbt_build(folder / "target")
    return warehouse


def settings_warehouse() -> Warehouse:
    """The warehouse the environment's engine setting selects."""
    from ecom_analytics import engines

    return engines.current_warehouse()


Leg = Callable[[Path, pytest.FixtureRequest], Warehouse]
LEGS: dict[str, Leg] = {"duckdb": build_on_duckdb, "postgres": build_on_postgres}
