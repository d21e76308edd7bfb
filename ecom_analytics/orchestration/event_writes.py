"""Dagster's SQLite event log with fewer writes per event: batches and check plans.

Why: a run over a range stores events per partition. A 30-day run of every asset logs about
900 planned materializations when it starts and 900 materializations as its outputs are
stored: each output's days arrive as one batch, and so do the run's planned events. Dagster
hands such a batch to `store_event_batch` once `DAGSTER_EVENT_BATCH_SIZE` is set, but its
SQLite storage then stores the events one at a time: per event, a transaction on the run's
database, another on the index, and an insert-or-update of the asset's row that fails on its
unique key and retries as an update.

Here a batch of one run's asset events (materializations, observations, planned
materializations and check evaluations) is stored with the rows `store_event` would write
for each of them, but:
- every event goes into the run's database in one transaction;
- the asset events are mirrored into the index in one transaction, with their tags, and each
  asset's row is updated once per event type, from the batch's last event of that type (each
  update writes that type's columns, so the earlier events' values would be overwritten);
- check events are mirrored one by one, as before (a run has a few per check, not per day).

If the index transaction fails, it rolls back and each asset event is mirrored on its own, as
`store_event` would: the run's events are never stored twice, which Dagster's fallback of
storing the batch again one event at a time would do once the run's transaction is in.
Any other batch (events of several runs, or of other kinds) is stored event by event.

A planned check over a range of days is one event, stored as one row per day; Dagster
serialized the whole event again for each of those rows (30 serializations of an event that
holds the range), so a 30-day run's 159 planned checks took 2.6 s to store. It is serialized
once here (`_store_check_planned`), with the same rows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlalchemy_compat import db_result
from dagster_shared.serdes import serialize_value
from sqlalchemy.engine import Connection

# Dagster's switch for batched event writes (dagster._core.instance.utils): events of one
# batch are buffered and stored together once this many have arrived or the batch ends. A
# 30-day run of every asset plans about 1,000 partitions' materializations at once.
EVENT_BATCH_SIZE_ENV = "DAGSTER_EVENT_BATCH_SIZE"
EVENT_BATCH_SIZE = 1000

_BATCHED = ASSET_EVENTS | ASSET_CHECK_EVENTS


def store_event_batch(self: SqliteEventLogStorage, events: Sequence[EventLogEntry]) -> None:
    """Store `events` as `store_event` stores each one, in a few transactions (module doc)."""
    if not _one_run_of_asset_events(events):
        for event in events:
            self.store_event(event)
        return
    statements = [self.prepare_insert_event(event) for event in events]
    with self.run_connection(events[0].run_id) as conn:
        for statement in statements:
            conn.execute(statement)
    asset_events = [
        (event, statement)
        for event, statement in zip(events, statements, strict=True)
        if event.dagster_event_type in ASSET_EVENTS
    ]
    try:
        with self.index_transaction() as conn:
            _mirror_asset_events(self, conn, asset_events)
    except Exception:  # any storage error: the transaction rolled back, nothing is mirrored
        for event, statement in asset_events:
            with self.index_transaction() as conn:
                _mirror_asset_events(self, conn, [(event, statement)])
    for event, statement in zip(events, statements, strict=True):
        if event.dagster_event_type in ASSET_CHECK_EVENTS:
            with self.index_connection() as conn, db_result(conn, statement) as result:
                event_id = result.inserted_primary_key[0]
            self.store_asset_check_event(event, event_id)


def _one_run_of_asset_events(events: Sequence[EventLogEntry]) -> bool:
    return len({event.run_id for event in events}) == 1 and all(
        event.is_dagster_event and event.dagster_event_type in _BATCHED for event in events
    )


def _mirror_asset_events(
    storage: SqliteEventLogStorage,
    conn: Connection,
    asset_events: list[tuple[EventLogEntry, object]],
) -> None:
    """The index's copy of each asset event, its tags, and the assets' rows."""
    if not asset_events:
        return
    event_ids = []
    for _, statement in asset_events:
        with db_result(conn, statement) as result:
            event_ids.append(result.inserted_primary_key[0])
    stored = [event for event, _ in asset_events]
    storage._store_asset_event_tags(conn, stored, event_ids)
    latest: dict[tuple, tuple[EventLogEntry, int]] = {}
    for event, event_id in zip(stored, event_ids, strict=True):
        kind = (event.get_dagster_event().asset_key, event.dagster_event_type)
        latest.pop(kind, None)  # re-inserted last: the updates keep the events' order
        latest[kind] = (event, event_id)
    for event, event_id in latest.values():
        storage._store_asset_event(conn, event, event_id)


def _store_check_planned(
    self: SqlEventLogStorage, event: EventLogEntry, event_id: int | None
) -> None:
    """Dagster's `_store_asset_check_evaluation_planned`: one row per planned day, with the
    event serialized once for all of them."""
    planned = event.get_dagster_event().event_specific_data
    days = planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
    row = {
        "asset_key": planned.asset_key.to_string(),
        "check_name": planned.check_name,
        "run_id": event.run_id,
        "execution_status": AssetCheckExecutionRecordStatus.PLANNED.value,
        "evaluation_event": serialize_value(event),
        "evaluation_event_timestamp": self._event_insert_timestamp(event),
        "evaluation_event_storage_id": event_id,
    }
    rows = [{**row, "partition": day} for day in days]
    with self.index_connection() as conn:
        conn.execute(AssetCheckExecutionsTable.insert(), rows)


def batch_sqlite_event_writes() -> None:
    """Store batches of asset events in a few transactions, and each planned check's event
    serialized once, in this process (module doc)."""
    SqliteEventLogStorage.store_event_batch = store_event_batch
    SqliteEventLogStorage._store_asset_check_evaluation_planned = _store_check_planned
    os.environ.setdefault(EVENT_BATCH_SIZE_ENV, str(EVENT_BATCH_SIZE))
