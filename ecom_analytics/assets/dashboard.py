"""The dashboard's read-only snapshot of the marts, published at the end of each run.

DuckDB lets one process write a file or many read it, never both, so the dashboard never
opens the warehouse Dagster writes. This asset, which runs in the writer pool, copies the
marts the dashboard reads (the `dashboard` exposure's, which are the asset's dependencies;
of fct_sessions only the columns it reads, snapshot_schema.MART_COLUMNS) into a fresh DuckDB
file beside the snapshot path, adds a `meta` schema (what was published and when, the
latest asset-check results, the last materializations) and swaps it in with an atomic
`os.replace`. Readers keep whatever file they opened; the next query sees the new one. The
snapshot is a DuckDB file whichever engine built the marts (ecom_analytics.engines), so the
dashboard never needs that engine running.
"""

import os
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from ecom_analytics import settings
from ecom_analytics.checks import metric_anomalies
from ecom_analytics.dbt_manifest import dashboard_marts
from ecom_analytics.engines import Warehouse, as_warehouse, current_warehouse
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.runs.fault_points import SNAPSHOT_BEFORE_SWAP, pause_at
from ecom_analytics.snapshot_schema import (
    MART_COLUMNS,
    META_SCHEMA,
    META_TABLES,
    SNAPSHOT,
    create_table_sql,
    insert_sql,
)
from ecom_analytics.tables import MARTS_SCHEMA

# The marts the dashboard reads, each a dependency of the asset: the `depends_on` of the
# `dashboard` exposure in dbt_project/models/exposures.yml.
DASHBOARD_MARTS = dashboard_marts()

# Everything `as_of_meta` may hold: the columns of `meta.snapshot`, and the rows of each
# other `meta` table under its name.
_ROW_TABLES = tuple(table for table in META_TABLES if table is not SNAPSHOT)
_AS_OF_KEYS = set(SNAPSHOT.columns) | {table.name for table in _ROW_TABLES}
# Rows per insert statement of a `meta` table.
_ROWS_PER_INSERT = 500


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _utc_naive(value: datetime) -> datetime:
    # Every timestamp in the warehouse is naive UTC.
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _create_meta_tables(con: duckdb.DuckDBPyConnection, as_of_meta: Mapping[str, Any]) -> None:
    """The `meta` schema of ecom_analytics.snapshot_schema, filled from `as_of_meta`."""
    con.execute(f"create schema {META_SCHEMA}")
    for table in META_TABLES:
        con.execute(create_table_sql(table))
    published = {
        "published_at": _utc_naive(as_of_meta.get("published_at") or datetime.now(UTC)),
        "run_id": as_of_meta.get("run_id"),
        "partition_start": _as_date(as_of_meta.get("partition_start")),
        "partition_end": _as_date(as_of_meta.get("partition_end")),
    }
    con.execute(insert_sql(SNAPSHOT), [published[column] for column in SNAPSHOT.columns])
    for table in _ROW_TABLES:
        rows = [
            [
                _utc_naive(row.get(c)) if isinstance(row.get(c), datetime) else row.get(c)
                for c in table.columns
            ]
            for row in as_of_meta.get(table.name) or ()
        ]
        # A few statements of many rows each: DuckDB's executemany runs one statement per
        # row (0.2 s for the few hundred check results and anomalies of a 30-day range).
        for first in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[first : first + _ROWS_PER_INSERT]
            con.execute(insert_sql(table, len(chunk)), [value for row in chunk for value in row])


def publish_snapshot(warehouse: Warehouse | Path, snapshot: Path, *, as_of_meta: dict) -> Path:
    """Copy the marts the dashboard reads (DASHBOARD_MARTS, narrowed to MART_COLUMNS) from the
    warehouse into a new DuckDB file and swap it in at `snapshot`.

    `warehouse` is a warehouse resource on any engine, or the path of a DuckDB warehouse: the
    snapshot is a DuckDB file whichever engine built the marts, so the dashboard never needs
    the engine running.

    `as_of_meta` may hold `published_at` (default: now, UTC), `run_id`, `partition_start`,
    `partition_end`, `check_results`, `materializations` and `anomalies` (lists of dicts with
    the columns of the `meta` tables of the same names). A warehouse without marts gives a
    snapshot without marts, which the dashboard shows as "no data yet".
    """
    unknown = set(as_of_meta) - _AS_OF_KEYS
    if unknown:
        raise ValueError(f"unknown as_of_meta keys: {sorted(unknown)}")
    snapshot = Path(snapshot)
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    # Same directory, so the final rename never crosses a file system and stays atomic.
    staging = snapshot.with_name(f".{snapshot.name}.{os.getpid()}.publishing")
    staging.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(staging))
        try:
            # Nothing reads the snapshot's rows in insertion order; not keeping it lets DuckDB
            # copy each table on every core (a fifth faster at 10 M events).
            con.execute("set preserve_insertion_order = false")
            con.execute(f"create schema {MARTS_SCHEMA}")
            as_warehouse(warehouse).copy_schema(MARTS_SCHEMA, con, DASHBOARD_MARTS, MART_COLUMNS)
            _create_meta_tables(con, as_of_meta)
            con.execute("checkpoint")
        finally:
            con.close()
        pause_at(SNAPSHOT_BEFORE_SWAP)
        Path(f"{snapshot}.wal").unlink(missing_ok=True)
        os.replace(staging, snapshot)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    return snapshot


def _from_timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def latest_check_results(
    instance: dg.DagsterInstance, check_keys: Iterable[dg.AssetCheckKey]
) -> list[dict]:
    """The latest evaluation of each asset check, as rows for `meta.check_results`."""
    keys = sorted(check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name))
    # One query for every check: a query per check cost seconds with 200-odd checks.
    records = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    rows = []
    for key in keys:
        record = records.get(key)
        evaluation = record.evaluation if record else None
        # A check another run has planned but not yet evaluated has no outcome to show.
        if not isinstance(evaluation, dg.AssetCheckEvaluation):
            continue
        rows.append(
            {
                "asset_key": key.asset_key.to_user_string(),
                "check_name": key.name,
                "partition_key": evaluation.partition,
                "passed": evaluation.passed,
                "severity": evaluation.severity.value,
                "blocking": evaluation.blocking,
                "description": evaluation.description,
                "evaluated_at": _from_timestamp(record.event.timestamp),
                "run_id": record.run_id,
            }
        )
    return rows


def latest_materializations(
    instance: dg.DagsterInstance, asset_keys: Iterable[dg.AssetKey]
) -> list[dict]:
    """The last materialization of each asset, as rows for `meta.materializations`."""
    events = instance.get_latest_materialization_events(list(asset_keys))
    rows = []
    for key, event in sorted(events.items(), key=lambda item: item[0].to_user_string()):
        if event is None:
            continue
        materialization = event.asset_materialization
        rows.append(
            {
                "asset_key": key.to_user_string(),
                "partition_key": materialization.partition if materialization else None,
                "materialized_at": _from_timestamp(event.timestamp),
                "run_id": event.run_id,
            }
        )
    return rows


def snapshot_row_counts(snapshot: Path) -> dict[str, int]:
    """Rows per marts table in a published snapshot."""
    # An in-memory database that attaches the file: DuckDB caches connections by path, and a
    # cached one could still point at the file this publication replaced.
    con = duckdb.connect()
    try:
        con.execute("attach ? as snapshot (read_only)", [str(snapshot)])
        names = con.execute(
            "select table_name from duckdb_tables()"
            " where database_name = 'snapshot' and schema_name = ? order by table_name",
            [MARTS_SCHEMA],
        ).fetchall()
        return {
            name: con.execute(
                f"select count(*) from snapshot.{MARTS_SCHEMA}.{_quote(name)}"
            ).fetchone()[0]
            for (name,) in names
        }
    finally:
        con.close()


def _asset_graph(context: dg.AssetExecutionContext):
    # A run launched from the code location knows the whole repository; one started with
    # `dg.materialize` (tests, scripts) knows only its own job's assets and checks.
    try:
        return context.repository_def.asset_graph
    except Exception:
        return context.job_def.asset_layer.asset_graph


@dg.asset(
    key=["app", "dashboard"],
    group_name="dashboard",
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=settings.DUCKDB_WRITER_POOL,
    deps=[[MARTS_SCHEMA, name] for name in DASHBOARD_MARTS],
    kinds={"duckdb", "plotly"},
)
def dashboard(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Read-only DuckDB snapshot of the `marts` tables that the Dash dashboard serves.

    Source: the marts of the `dashboard` exposure in the warehouse, plus the latest
    asset-check results and materialization times from the Dagster instance. Grain: one
    file per run, holding the marts at their own grain (the partitions of this run only say
    when it was published).
    Purpose: the dashboard reads this copy, so it never holds a lock on the warehouse.
    """
    asset_graph = _asset_graph(context)
    asset_keys = [key for key in asset_graph.get_all_asset_keys() if key != context.asset_key]
    key_range = context.partition_key_range
    published_at = datetime.now(UTC)
    warehouse = current_warehouse()
    snapshot = publish_snapshot(
        warehouse,
        settings.dashboard_snapshot_path(),
        as_of_meta={
            "published_at": published_at,
            "run_id": context.run.run_id,
            "partition_start": key_range.start,
            "partition_end": key_range.end,
            "check_results": latest_check_results(context.instance, asset_graph.asset_check_keys),
            "materializations": latest_materializations(context.instance, asset_keys),
            "anomalies": metric_anomalies.snapshot_rows(warehouse),
        },
    )
    return dg.MaterializeResult(
        metadata={
            "snapshot_path": dg.MetadataValue.path(str(snapshot)),
            "published_at": published_at.isoformat(timespec="seconds"),
            "table_rows": dg.MetadataValue.json(snapshot_row_counts(snapshot)),
        }
    )


dashboard_assets = [dashboard]
