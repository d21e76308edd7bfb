"""Dagster's SQLite event log with a kept connection per database file, not one per write.

Why: Dagster 1.13's `SqliteEventLogStorage._connect` builds a new engine for every
connection, with `NullPool`, so every event stored compiled its statements afresh, opened a
SQLite connection and closed it. A run over a range stores events per partition (planned
and reported materializations, check evaluations, step outputs): a 30-day run stores
thousands. Closing the last connection to a database in WAL mode checkpoints the
write-ahead log into the file and syncs the disk, so each event cost a checkpoint and two
fsyncs; together with the compilation that was the largest cost of a run on small data.

Here each database file (a run's, or the index) has one engine whose pool keeps a connection
open, so statements stay compiled and a write commits without opening the file again. Each
connection sets `synchronous = NORMAL`: in WAL mode that syncs at checkpoints, not at every
commit. A commit is still durable against a killed process (the log is in the file system
already); a power loss keeps the database consistent and may roll back the last events, so a
partition whose materialization was lost shows as missing and is materialized again, and
every partition write replaces its window.

The index keeps its connection. A run's database closes its connection IDLE_CLOSE_SECONDS
after opening it, whatever is written meanwhile: closing the last connection checkpoints the
write-ahead log into the file, and the UI follows a running run's events by watching that
file change (SqliteEventLogStorageWatchdog), so it sees them within that delay; and a process
that reads many runs (the UI) never holds many files open. The storage's lock already lets
one thread at a time use a connection. PostgreSQL event logs
(deploy/dagster.postgres.yaml) keep one engine already.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

from ecom_analytics.orchestration.event_writes import batch_sqlite_event_writes

# How long a run's database keeps its connection once opened: the most the UI lags behind
# a running run's events. A 30-day run stores a thousand events in a few seconds; closing
# after each one cost a checkpoint (an fsync) per event.
IDLE_CLOSE_SECONDS = 0.2


def _engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    """The storage's engine for one database file (a run's, or the index), made once."""
    engines: dict[str, Engine] = storage.__dict__.setdefault("_ecom_engines", {})
    if shard not in engines:
        engines[shard] = create_engine(
            storage.conn_string_for_shard(shard),
            poolclass=QueuePool,
            # One connection kept; Dagster's first look at a new file (`_initdb`) opens a
            # second one while the first is checked out.
            pool_size=1,
            max_overflow=1,
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                # The one connection moves between threads only under the storage's lock.
                "check_same_thread": False,
            },
        )
        event.listen(engines[shard], "connect", _sync_at_checkpoints)
    return engines[shard]


def _close_soon(storage: SqliteEventLogStorage, shard: str, engine: Engine) -> None:
    """Close a run database's connection IDLE_CLOSE_SECONDS from now, unless already due."""
    due: dict[str, threading.Timer] = storage.__dict__.setdefault("_ecom_closing", {})
    if shard in due:
        return

    def close() -> None:
        with storage._db_lock:  # the lock every use of a connection holds
            due.pop(shard, None)
            # Closing the last connection checkpoints the log into the watched file.
            engine.dispose()

    timer = threading.Timer(IDLE_CLOSE_SECONDS, close)
    # A process that ends first leaves the log for the next reader, as a kill would.
    timer.daemon = True
    due[shard] = timer
    timer.start()


def _sync_at_checkpoints(dbapi_connection, _record) -> None:
    """WAL mode's own durability: sync at checkpoints, not at every commit."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


@contextmanager
def _connect(self: SqliteEventLogStorage, shard: str) -> Iterator[Connection]:
    """Dagster's `_connect`, the same lock, initialization and transaction, on a kept engine."""
    with self._db_lock:
        engine = _engine(self, shard)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        with engine.connect() as conn, conn.begin():
            yield conn
        if shard != INDEX_SHARD_NAME:
            _close_soon(self, shard, engine)


def reuse_event_log_engines() -> None:
    """Make every SQLite event log of this process keep one engine per database file, and
    store each batch of asset events in a few transactions (event_writes.py)."""
    SqliteEventLogStorage._connect = _connect
    batch_sqlite_event_writes()
