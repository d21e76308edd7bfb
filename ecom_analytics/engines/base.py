"""The storage layer every warehouse engine implements (see ecom_analytics/engines/__init__.py).

Python code outside the engines never opens a warehouse connection itself: it reads through a
`Warehouse` resource, and Dagster stores the ingestion assets' outputs through the engine's IO
manager. SQL handed to `query` is written in the subset DuckDB, PostgreSQL and Spark SQL share
(explicit `group by` columns, `cast(x as double precision)`...), with parameters either as `?`
(a list) or `$name` (a dict); each engine binds them in its own style.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager

import dagster as dg
import duckdb
import polars as pl

from ecom_analytics.warehouse import Params, Reader


def select_list(table: str, columns: Mapping[str, Sequence[str]] | None) -> str:
    """The select list copying `table`: its columns named in `columns`, else `*`. Column
    names are code (snapshot_schema.MART_COLUMNS), never user input."""
    kept = (columns or {}).get(table)
    if not kept:
        return "*"
    return ", ".join('"' + column.replace('"', '""') + '"' for column in kept)


def query_duckdb(
    connection: duckdb.DuckDBPyConnection, sql: str, params: Params, frames: dict[str, pl.DataFrame]
) -> pl.DataFrame:
    """Run `sql` on a DuckDB connection, each of `frames` visible to it as a table by name."""
    for name, frame in frames.items():
        connection.register(name, frame.to_arrow())
    return connection.sql(sql, params=params or []).pl()


def read_at_run_start(env_name: str, value: str) -> dg.EnvVar:
    """A setting handed to resources as `dg.EnvVar`, so Dagster reads it when a run starts.

    Resolved then rather than when definitions load, so the location a process (or a test)
    sets before a run is the one every writer, every read and dbt use; set to `value` when
    the environment does not name one yet.
    """
    os.environ.setdefault(env_name, value)
    return dg.EnvVar(env_name)


def run_resources(io_manager: dg.ConfigurableIOManager, warehouse: Warehouse) -> dict[str, object]:
    """The Dagster resources every engine provides, by the names the assets ask for."""
    return {
        # Stores every Python-built table, replacing one partition window at a time.
        "io_manager": io_manager,
        # Lookups (catalogue, earlier event ids) and asset checks read through this.
        "warehouse": warehouse,
    }


class Warehouse(dg.ConfigurableResource):
    """Reads of the warehouse: lookups during ingestion, asset checks, the dashboard snapshot.

    Each engine subclasses it (`DuckDBWarehouse`, `PostgresWarehouse`, ...). Connections are
    short: opened per call, or per `session()`.
    """

    def query(self, sql: str, params: Params = None, **frames: pl.DataFrame) -> pl.DataFrame:
        """Run a parameterized query; keyword frames are visible to it as tables by name."""
        raise NotImplementedError

    @contextmanager
    def session(self) -> Iterator[Reader]:
        """One connection for several queries."""
        raise NotImplementedError
        yield

    @contextmanager
    def held_open(self) -> Iterator[None]:
        """Keep the warehouse open in this process while inside, for an embedded engine
        whose every short connection would otherwise open and close it again. Nothing on a
        server; never around a step that starts another process that writes it (dbt)."""
        yield

    def has_table(self, schema: str, table: str) -> bool:
        """Whether `schema.table` exists (and, on file-based engines, holds data or a model)."""
        raise NotImplementedError

    def json_string(self, column: str, *path: str) -> str:
        """SQL for the text at `path` (object keys) inside the JSON text `column`, null when
        there is no such field. Callers apply it to records that were parsed (DuckDB fails on
        text that is not JSON; PostgreSQL's version gives null). Arguments are code, never
        user input."""
        raise NotImplementedError

    def copy_schema(
        self,
        schema: str,
        target: duckdb.DuckDBPyConnection,
        tables: Collection[str],
        columns: Mapping[str, Sequence[str]] | None = None,
    ) -> list[str]:
        """Copy the tables `tables` of `schema` that exist into the DuckDB connection `target`,
        whose schema of the same name exists already; returns the copied table names in
        order. A table named in `columns` keeps only those columns (`select_list`). This is
        how the dashboard snapshot (a DuckDB file) is published from any engine."""
        raise NotImplementedError
