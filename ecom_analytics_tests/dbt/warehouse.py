"""Helpers for dbt tests: a temp DuckDB with the contract tables, dbt runs into it, table dumps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ecom_analytics import settings, tables
from ecom_analytics.assets.dbt_env import dbt_window_env, environment
from ecom_analytics.project import dbt_cli_resource, dbt_vars_args

from . import dataset

CONTRACT_TABLES = [*tables.VALIDATED_TABLES.values(), tables.QUARANTINE]
DBT_SCHEMAS = ("staging", "intermediate", "marts")


def create_contract_tables(database: Path) -> None:
    """Create validated.* and quality.quarantine exactly as ecom_analytics.tables defines them."""
    with duckdb.connect(str(database)) as connection:
        for table in CONTRACT_TABLES:
            columns = ", ".join(f"{name} {type_}" for name, type_ in table.columns.items())
            connection.execute(f"create schema if not exists {table.schema}")
            connection.execute(f"create table {table.qualified} ({columns})")


def insert_rows(database: Path, table: tables.Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows (mappings by column name) into a contract table."""
    names = list(table.columns)
    placeholders = ", ".join("?" for _ in names)
    # Columns a row leaves out are null (e.g. quarantine.record_key, .detail).
    values = [[row.get(name) for name in names] for row in rows]
    if not values:
        return
    with duckdb.connect(str(database)) as connection:
        connection.executemany(
            f"insert into {table.qualified} ({', '.join(names)}) values ({placeholders})", values
        )


def load_dataset(database: Path) -> None:
    """The hand-made dataset of `dataset.py` in a fresh warehouse."""
    create_contract_tables(database)
    insert_rows(database, tables.VALIDATED_EVENTS, dataset.EVENTS)
    insert_rows(database, tables.VALIDATED_PRODUCTS, dataset.PRODUCTS)
    insert_rows(database, tables.VALIDATED_USERS, dataset.USERS)
    insert_rows(database, tables.QUARANTINE, dataset.QUARANTINE)


def warehouse_env(database: Path) -> AbstractContextManager[None]:
    """Point the dbt profile's ECOM_DUCKDB_PATH at `database` for the duration."""
    return environment({settings.WAREHOUSE_ENV: str(database)})


def run_dbt(
    database: Path, target_dir: Path, start: date, end: date, command: str = "build"
) -> None:
    """Run one dbt command (e.g. "build", "docs generate") over [start, end); fail loudly.

    Unlike a partition run, a test build includes the dbt unit tests.
    """
    args = [*command.split(), *dbt_vars_args()]
    with warehouse_env(database), environment(dbt_window_env(start, end)):
        invocation = dbt_cli_resource().cli(args, target_path=target_dir, raise_on_error=False)
        invocation.wait()
    assert invocation.is_successful(), invocation.get_error()


def query(database: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a query on `database`, read-only."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


def query_dicts(database: Path, sql: str) -> list[dict[str, Any]]:
    """Rows of a query on `database` as dicts by column name, read-only."""
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def dump_models(
    database: Path, schemas: tuple[str, ...] = DBT_SCHEMAS
) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's full contents in `schemas` (dbt's, by default), sorted, by schema.table."""
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) order by 1",
            [list(schemas)],
        ).fetchall()
        return {
            name: connection.execute(f"select * from {name} order by all").fetchall()
            for (name,) in names
        }
