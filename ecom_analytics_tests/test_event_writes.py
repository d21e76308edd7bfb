"""Batches of asset events and planned checks are stored with the rows Dagster's own writes
store, in fewer transactions and serializations, and never twice."""

from types import SimpleNamespace

import dagster as dg
import pytest
import sqlalchemy as sa
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecordStatus,
)
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from dagster_shared.serdes import deserialize_value

from ecom_analytics.orchestration import event_writes
from ecom_analytics.orchestration.event_log import reuse_event_log_engines

DAYS = ["2024-01-01", "2024-01-02", "2024-01-03"]
PLANNED = dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
DAILY = dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-04")


@dg.asset(partitions_def=DAILY, backfill_policy=dg.BackfillPolicy.single_run())
def orders(context: dg.AssetExecutionContext) -> None:
    """Every day of the run's range."""


@dg.asset(partitions_def=DAILY, deps=[orders], backfill_policy=dg.BackfillPolicy.single_run())
def revenue(context: dg.AssetExecutionContext) -> None:
    """Every day of the run's range, after `orders`."""


@dg.asset_check(asset=revenue)
def revenue_is_positive() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def _home(path):
    path.mkdir()
    return str(path)


def _range_run(instance: dg.DagsterInstance) -> str:
    result = dg.materialize(
        [orders, revenue, revenue_is_positive],
        instance=instance,
        tags={ASSET_PARTITION_RANGE_START_TAG: DAYS[0], ASSET_PARTITION_RANGE_END_TAG: DAYS[-1]},
    )
    assert result.success
    return result.run_id


def _what_was_stored(instance: dg.DagsterInstance, run_id: str) -> dict:
    """Everything a reader of the event log sees of the run, without storage ids."""
    logs = instance.all_logs(run_id)
    return {
        "run_log": [
            (entry.dagster_event_type, entry.dagster_event.asset_key, entry.dagster_event.partition)
            for entry in logs
            if entry.is_dagster_event
        ],
        "materialized": {
            key.to_user_string(): sorted(instance.get_materialized_partitions(key))
            for key in (orders.key, revenue.key)
        },
        # The assets' own rows in the index, which a batch updates once per event type.
        "latest": {
            record.asset_entry.asset_key.to_user_string(): (
                record.asset_entry.last_run_id,
                record.asset_entry.last_materialization.dagster_event.partition,
            )
            for record in instance.get_asset_records([orders.key, revenue.key])
        },
        "planned": {
            key.to_user_string(): sorted(
                record.event_log_entry.dagster_event.partition
                for record in instance.event_log_storage.get_event_records(
                    dg.EventRecordsFilter(PLANNED, asset_key=key), limit=100
                )
            )
            for key in (orders.key, revenue.key)
        },
        # The check's rows, one per planned day, as stored in the index.
        "check_rows": sorted(
            (row.asset_key, row.check_name, row.partition or "", row.execution_status, row.event)
            for row in _check_rows(instance)
        ),
        "check": [
            (execution.run_id, execution.status)
            for execution in instance.event_log_storage.get_asset_check_execution_history(
                revenue_is_positive.check_key, limit=10
            )
        ],
    }


def _check_rows(instance: dg.DagsterInstance) -> list:
    table = AssetCheckExecutionsTable
    with instance.event_log_storage.index_connection() as conn:
        rows = conn.execute(
            sa.select(
                table.c.asset_key,
                table.c.check_name,
                table.c.partition,
                table.c.execution_status,
                table.c.evaluation_event,
            )
        ).fetchall()
    return [
        SimpleNamespace(
            asset_key=row[0],
            check_name=row[1],
            partition=row[2],
            execution_status=row[3],
            event=deserialize_value(row[4]).dagster_event_type,
        )
        for row in rows
    ]


@pytest.fixture
def batched(monkeypatch):
    reuse_event_log_engines()
    monkeypatch.setenv(event_writes.EVENT_BATCH_SIZE_ENV, str(event_writes.EVENT_BATCH_SIZE))


def test_a_range_run_stores_in_batches_what_it_stores_event_by_event(
    tmp_path, monkeypatch, batched
):
    calls = []
    batch = SqliteEventLogStorage.store_event_batch
    monkeypatch.setattr(
        SqliteEventLogStorage,
        "store_event_batch",
        lambda self, events: calls.append(len(events)) or batch(self, events),
    )
    with dg.instance_for_test(temp_dir=_home(tmp_path / "batched")) as instance:
        batched_run = _range_run(instance)
        in_batches = _what_was_stored(instance, batched_run)
    # The run's planned events (2 assets x 3 days, 1 check) and each output's 3 days.
    assert sorted(calls) == [3, 3, 7]

    # Dagster's own writes: event by event, each planned check serialized once per day.
    monkeypatch.delenv(event_writes.EVENT_BATCH_SIZE_ENV)
    monkeypatch.setattr(
        SqliteEventLogStorage,
        "_store_asset_check_evaluation_planned",
        SqlEventLogStorage._store_asset_check_evaluation_planned,
    )
    with dg.instance_for_test(temp_dir=_home(tmp_path / "one_by_one")) as instance:
        single_run = _range_run(instance)
        one_by_one = _what_was_stored(instance, single_run)

    for stored, run in ((in_batches, batched_run), (one_by_one, single_run)):
        assert stored["materialized"] == {"orders": DAYS, "revenue": DAYS}
        assert stored["planned"] == {"orders": DAYS, "revenue": DAYS}
        assert stored["latest"] == {"orders": (run, DAYS[-1]), "revenue": (run, DAYS[-1])}
        assert {run_id for run_id, _ in stored["check"]} == {run}
        assert stored["check"][0][1] == AssetCheckExecutionRecordStatus.SUCCEEDED
    # The same events in the same order, and the same check records.
    assert in_batches["run_log"] == one_by_one["run_log"]
    assert in_batches["check_rows"] == one_by_one["check_rows"]
    assert [row[2] for row in in_batches["check_rows"] if row[3] == "PLANNED"] == DAYS
    assert [status for _, status in in_batches["check"]] == [
        status for _, status in one_by_one["check"]
    ]


def test_a_failed_index_write_mirrors_each_event_once(tmp_path, monkeypatch, batched):
    failures = []
    tags = SqliteEventLogStorage._store_asset_event_tags

    def fail_on_the_first_batch(self, conn, events, event_ids):
        if len(events) > 1 and not failures:
            failures.append(len(events))
            raise RuntimeError("index unavailable")
        return tags(self, conn, events, event_ids)

    monkeypatch.setattr(SqliteEventLogStorage, "_store_asset_event_tags", fail_on_the_first_batch)
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        run_id = _range_run(instance)
        stored = _what_was_stored(instance, run_id)
        index_copies = instance.event_log_storage.get_event_records(
            dg.EventRecordsFilter(PLANNED), limit=100
        )
    assert failures == [6]  # the planned materializations' batch
    # Each planned event once in the run's log and once in the index, despite the failure.
    planned = [kind for kind, _, _ in stored["run_log"] if kind == "ASSET_MATERIALIZATION_PLANNED"]
    assert len(planned) == 6
    assert len(index_copies) == 6
    assert stored["planned"] == {"orders": DAYS, "revenue": DAYS}
    assert stored["materialized"] == {"orders": DAYS, "revenue": DAYS}
