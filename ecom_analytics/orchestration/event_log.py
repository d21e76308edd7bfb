"""Dagster's SQLite event log with a kept connection per database file, not one per write.

Why: Dagster 1.13's `SqliteEventLogStorage._connect` builds a new engine for every
connection, with `NullPool`, so every event stored compiled its statements afresh, opened a
SQLite connection and closed it. A run over a range stores events per partition (planned
and reported materializations, check evaluations, step outputs): a 30-day run stores
thousands. Closing the last connection to a database in WAL mode checkpoints the
write-ahead log into the file and syncs the disk, so each event cost a checkpoint and two
fsyncs; together with the compilation that was the largest cost of a run on small data.

Here each database file (a run's, or the index) has one engine whose pool keeps a single
connection open, so statements stay compiled and the log is checkpointed every thousand
pages, as SQLite does by default, rather than at every event. Each connection sets
`synchronous = NORMAL`: in WAL mode that syncs at checkpoints, not at every commit. A commit
is still durable against a killed process (the log is in the file system already); a power
loss keeps the database consistent and may roll back the last events, so a partition whose
materialization was lost shows as missing and is materialized again, and every partition
write replaces its window. Only the most recent database files keep a connection, so a
process that reads many runs (the UI) never holds many files open. The storage's lock
already lets one thread at a time use a connection. PostgreSQL event logs
(deploy/dagster.postgres.yaml) keep one engine already.
"""

from __future__ import annotations

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
from sqlalchemy.pool import NullPool, QueuePool


def _engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    """The storage's engine for one database file (a run's, or the index), made once.

    The index keeps its connection open. A run's database closes its connection after each
    write, which checkpoints the write-ahead log into the file: the UI follows a running
    run's events by watching that file change (SqliteEventLogStorageWatchdog)."""
    engines: dict[str, Engine] = storage.__dict__.setdefault("_ecom_engines", {})
    if shard not in engines:
        kept = shard == INDEX_SHARD_NAME
        engines[shard] = create_engine(
            storage.conn_string_for_shard(shard),
            poolclass=QueuePool if kept else NullPool,
            # The one connection moves between threads only under the storage's lock.
            **({"pool_size": 1, "max_overflow": 0} if kept else {}),
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                **({"check_same_thread": False} if kept else {}),
            },
        )
        event.listen(engines[shard], "connect", _sync_at_checkpoints)
    return engines[shard]


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


def reuse_event_log_engines() -> None:
    """Make every SQLite event log of this process keep one engine per database file."""
    SqliteEventLogStorage._connect = _connect
