"""Runtime configuration read from the environment: the one place paths and dates come from."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

DEFAULT_START_DATE = "2024-01-01"
DEFAULT_DATA_DIR = "data"
WAREHOUSE_FILE_NAME = "warehouse.duckdb"
DASHBOARD_SNAPSHOT_NAME = "dashboard.duckdb"
# Where the dashboard serves unless told otherwise: this machine only.
DASHBOARD_HOST = "127.0.0.1"
DASHBOARD_PORT = 8050
DEFAULT_SENSOR_INTERVAL_SECONDS = 30

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# dbt commands whose target folders (compiled SQL, run_results.json, dbt.log) are kept.
DBT_INVOCATIONS_KEPT = 20


def start_date() -> date:
    """First daily partition (`ECOM_START_DATE`, default 2024-01-01)."""
    return date.fromisoformat(os.environ.get("ECOM_START_DATE", DEFAULT_START_DATE))


def data_dir() -> Path:
    """Root of the landing zone and the warehouse (`ECOM_DATA_DIR`, default ./data)."""
    return Path(os.environ.get("ECOM_DATA_DIR", DEFAULT_DATA_DIR)).resolve()


def landing_dir() -> Path:
    """Where landing files arrive: `<data dir>/raw/<source>/date=YYYY-MM-DD/`."""
    return data_dir() / "raw"


WAREHOUSE_ENV = "ECOM_DUCKDB_PATH"

# The engine that holds the warehouse and runs dbt: one setting for the whole code location.
ENGINE_ENV = "ECOM_WAREHOUSE"
ENGINES = ("duckdb", "postgres", "spark")
DEFAULT_ENGINE = "duckdb"


def warehouse_engine() -> str:
    """The warehouse engine (`ECOM_WAREHOUSE`: duckdb, postgres or spark; default duckdb).

    It is also the dbt target: dbt_project/profiles.yml has one output per engine.
    """
    name = os.environ.get(ENGINE_ENV, DEFAULT_ENGINE).strip().lower() or DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_ENV}={name!r}: expected one of {', '.join(ENGINES)}")
    return name


# PostgreSQL connection, one variable per field because the dbt profile reads them the same
# way (env var -> default).
POSTGRES_ENV = {
    "host": ("ECOM_POSTGRES_HOST", "localhost"),
    "port": ("ECOM_POSTGRES_PORT", "5432"),
    "user": ("ECOM_POSTGRES_USER", "postgres"),
    "password": ("ECOM_POSTGRES_PASSWORD", ""),
    "dbname": ("ECOM_POSTGRES_DB", "ecom_analytics"),
}


def postgres_connection() -> dict[str, str]:
    """libpq keywords for the PostgreSQL warehouse (`ECOM_POSTGRES_HOST`, `_PORT`, `_USER`,
    `_PASSWORD`, `_DB`); an empty password is left out so libpq can use ~/.pgpass."""
    values = {key: os.environ.get(env, default) for key, (env, default) in POSTGRES_ENV.items()}
    return {key: value for key, value in values.items() if value or key != "password"}


def warehouse_path() -> Path:
    """The DuckDB file Dagster and dbt write (`ECOM_DUCKDB_PATH`)."""
    default = data_dir() / WAREHOUSE_FILE_NAME
    return Path(os.environ.get(WAREHOUSE_ENV, default)).resolve()


SPARK_DIR_ENV = "ECOM_SPARK_DIR"


def spark_dir() -> Path:
    """Where the Spark engine keeps its Parquet tables, its catalogue and the dbt models
    (`ECOM_SPARK_DIR`, default `<data dir>/spark`); see engines/spark_lake.py."""
    return Path(os.environ.get(SPARK_DIR_ENV, data_dir() / "spark")).resolve()


def dashboard_snapshot_path() -> Path:
    """Read-only copy of the marts published for the dashboard after each run."""
    default = warehouse_path().with_name(DASHBOARD_SNAPSHOT_NAME)
    return Path(os.environ.get("ECOM_DASHBOARD_DB", default)).resolve()


DUCKDB_MEMORY_LIMIT_ENV = "ECOM_DUCKDB_MEMORY_LIMIT"
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"


def duckdb_memory_limit() -> str:
    """DuckDB's memory bound in each process, the pipeline's and dbt's (the dbt profile)."""
    return os.environ.get(DUCKDB_MEMORY_LIMIT_ENV, DEFAULT_DUCKDB_MEMORY_LIMIT)


def duckdb_config() -> dict[str, str]:
    """Settings for every DuckDB connection the pipeline opens (`ECOM_DUCKDB_MEMORY_LIMIT`).

    A bound on DuckDB's own memory makes large inserts spill to disk instead of growing with
    the size of a backfill.
    """
    return {"memory_limit": duckdb_memory_limit()}


# Every DuckDB writer (Python assets, IO manager, dbt) runs in this Dagster concurrency pool,
# limited to one at a time, because DuckDB allows a single writing process.
DUCKDB_WRITER_POOL = "duckdb_writer"


def sensor_interval_seconds() -> int:
    """Least time between two looks of the landing sensor (`ECOM_SENSOR_INTERVAL_SECONDS`)."""
    return int(os.environ.get("ECOM_SENSOR_INTERVAL_SECONDS", DEFAULT_SENSOR_INTERVAL_SECONDS))


def quarantine_rate_thresholds() -> tuple[float, float]:
    """(warn, fail) fractions of rows read (`ECOM_QUARANTINE_WARN_RATE`, `..._FAIL_RATE`)."""
    from ecom_analytics.vocabulary import QUARANTINE_RATE_FAIL, QUARANTINE_RATE_WARN

    return (
        float(os.environ.get("ECOM_QUARANTINE_WARN_RATE", QUARANTINE_RATE_WARN)),
        float(os.environ.get("ECOM_QUARANTINE_FAIL_RATE", QUARANTINE_RATE_FAIL)),
    )
