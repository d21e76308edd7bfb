"""The layout of the dashboard snapshot (`dashboard.duckdb`): what the `dashboard` asset
writes and the Dash app reads, declared once for both.

The snapshot holds two schemas. `marts` (tables.MARTS_SCHEMA) is a copy of the warehouse's
marts, whose contract is dbt's (see ecom_analytics/tables.py), narrowed to the columns of
MART_COLUMNS for the marts the dashboard reads only in part. `meta` is added by the
asset; its tables and columns are declared here, with the SQL that creates, fills and reads
them. Plain Python with no Dagster, so the app can import it without loading the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecom_analytics.tables import Table

META_SCHEMA = "meta"

# The columns the snapshot keeps of a mart the dashboard reads only in part; every other mart
# is copied whole. fct_sessions is the one mart at the session grain (2.5 M rows at 10 M
# events), and the dashboard reads of it only each session's day, device, channel and
# duration (the session-length chart). Its three text ids were most of the time spent
# publishing (2.5 s of 3.0 s at 10 M events, against 0.4 s for these four columns).
MART_COLUMNS = {
    "fct_sessions": ("session_date", "device", "channel", "duration_seconds"),
}

# What was published and when: exactly one row.
SNAPSHOT = Table(
    META_SCHEMA,
    "snapshot",
    {
        "published_at": "TIMESTAMP",
        "run_id": "VARCHAR",
        "partition_start": "DATE",
        "partition_end": "DATE",
    },
)
# The latest evaluation of each asset check known to the publishing run's repository.
CHECK_RESULTS = Table(
    META_SCHEMA,
    "check_results",
    {
        "asset_key": "VARCHAR",
        "check_name": "VARCHAR",
        "partition_key": "VARCHAR",
        "passed": "BOOLEAN",
        "severity": "VARCHAR",
        "blocking": "BOOLEAN",
        "description": "VARCHAR",
        "evaluated_at": "TIMESTAMP",
        "run_id": "VARCHAR",
    },
)
# The last materialization of each asset.
MATERIALIZATIONS = Table(
    META_SCHEMA,
    "materializations",
    {
        "asset_key": "VARCHAR",
        "partition_key": "VARCHAR",
        "materialized_at": "TIMESTAMP",
        "run_id": "VARCHAR",
    },
)
# The metric anomaly checks' verdicts per metric and day (checks/metric_anomalies.py).
ANOMALIES = Table(
    META_SCHEMA,
    "anomalies",
    {
        "metric": "VARCHAR",
        "day": "DATE",
        "value": "DOUBLE",
        "lower_bound": "DOUBLE",
        "upper_bound": "DOUBLE",
        "fired": "BOOLEAN",
    },
)
META_TABLES = (SNAPSHOT, CHECK_RESULTS, MATERIALIZATIONS, ANOMALIES)


def create_table_sql(table: Table) -> str:
    """`create table meta.<name> (<column> <type>, ...)`."""
    columns = ", ".join(f"{name} {type_}" for name, type_ in table.columns.items())
    return f"create table {table.qualified} ({columns})"


def insert_sql(table: Table, rows: int = 1) -> str:
    """An insert of `rows` rows, every column in declared order, as `?` parameters (row by
    row, then column by column)."""
    row = f"({', '.join('?' for _ in table.columns)})"
    return f"insert into {table.qualified} values {', '.join([row] * rows)}"


def column_list(table: Table, names: Iterable[str]) -> str:
    """`a, b, c` for a select list; KeyError for a column `table` does not declare, so a
    reader asking for a column the writer no longer writes fails as it builds its query."""
    names = list(names)
    unknown = [name for name in names if name not in table.columns]
    if unknown:
        raise KeyError(f"{table.qualified} has no column {', '.join(unknown)}")
    return ", ".join(names)
