"""Warehouse engines: DuckDB (default), PostgreSQL and Spark, chosen by `ECOM_WAREHOUSE`.

The same dbt project and Dagster code location run on each engine. `settings.warehouse_engine()`
reads the one setting; it is also the dbt target (dbt_project/profiles.yml has one output per
engine, and `ecom_analytics.project` exports `ECOM_WAREHOUSE` to dbt). Only two places differ
by engine: adapter-specific dbt macros (`adapter.dispatch` in dbt_project/macros) and this
package, the storage layer. Everything else asks `current()` for what it needs.

An engine is a module of this package registered in `_MODULES`, whose attribute `engine`
implements `Engine`:

- `name`: the `ECOM_WAREHOUSE` value, equal to the dbt target name;
- `warehouse()`: a `Warehouse` resource (engines/base.py) built from settings, used for reads
  by lookups during ingestion, asset checks and the dashboard snapshot. Its `query(sql,
  params, **frames)` takes the shared SQL subset with `?` or `$name` parameters and returns a
  polars DataFrame with typed columns (also when empty); `session()` yields a reader that keeps
  one connection; `has_table(schema, table)`; `json_string(column, *keys)` is the engine's SQL
  for a text field inside JSON text; `copy_schema(schema, duckdb_connection, tables)`
  copies those of a schema's tables into the dashboard's DuckDB snapshot;
- `resources()`: the Dagster resources `io_manager` and `warehouse`. The IO manager stores
  the ingestion assets' outputs (`polars.DataFrame`, or `io_manager.StagedParquet` files for
  a window of days) into the tables of `ecom_analytics.tables`, replacing exactly the output's
  partition window in one transaction (on Spark, one atomic file per day), so a killed run
  leaves the previous contents;
- `dbt_env()`: the environment variables the engine's profile output reads.

Tests: ecom_analytics_tests/engines/builds.py holds one leg per engine that builds the
hand-made dataset there; test_same_marts_on_every_engine.py compares each with DuckDB
(Spark's comparison is in test_spark_pipeline.py, on its end-to-end run).

Engines are imported on first use, so the DuckDB path never imports another engine's client.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from ecom_analytics import settings
from ecom_analytics.engines.base import Reader, Warehouse

_MODULES = {
    "duckdb": "ecom_analytics.engines.duckdb_engine",
    "postgres": "ecom_analytics.engines.postgres_engine",
    "spark": "ecom_analytics.engines.spark_engine",
}


class Engine(Protocol):
    name: str

    def warehouse(self) -> Warehouse: ...

    def resources(self) -> dict[str, object]: ...

    def dbt_env(self) -> dict[str, str]: ...


def engine(name: str) -> Engine:
    """The engine registered under `name`."""
    if name not in _MODULES:
        raise ValueError(f"no warehouse engine {name!r} here (available: {', '.join(_MODULES)})")
    return importlib.import_module(_MODULES[name]).engine


def current() -> Engine:
    """The engine `ECOM_WAREHOUSE` selects, read anew on each call."""
    return engine(settings.warehouse_engine())


def current_warehouse() -> Warehouse:
    """A `Warehouse` resource on the selected engine, for code that runs outside a step's
    resources (sensors, planning, checks built by hand)."""
    return current().warehouse()


def as_warehouse(source: Warehouse | str | Path) -> Warehouse:
    """`source` itself when it is a `Warehouse`; a path names a DuckDB warehouse file."""
    if isinstance(source, Warehouse):
        return source
    from ecom_analytics.engines.duckdb_engine import DuckDBWarehouse

    return DuckDBWarehouse(path=str(source))


__all__ = [
    "Engine",
    "Reader",
    "Warehouse",
    "as_warehouse",
    "current",
    "current_warehouse",
    "engine",
]
