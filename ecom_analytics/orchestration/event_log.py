"""Dagster's SQLite event log with one SQLAlchemy engine per database file, not per write.

Why: Dagster 1.13's `SqliteEventLogStorage._connect` builds a new engine for every
connection, so SQLAlchemy compiles every statement afresh. A run over a range stores events
per partition (planned and reported materializations, check evaluations, step outputs), so a
30-day run stores thousands, and that compilation was the largest cost of a run on small
data. Keeping the engine keeps its compiled-statement cache; the engine still uses
`NullPool`, so each write opens and closes its own SQLite connection exactly as before.
PostgreSQL event logs (deploy/dagster.postgres.yaml) keep one engine already.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool


def _engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    """The storage's engine for one database file (a run's, or the index), made once."""
    engines: dict[str, Engine] = storage.__dict__.setdefault("_ecom_engines", {})
    if shard not in engines:
        engines[shard] = create_engine(
            storage.conn_string_for_shard(shard),
            poolclass=NullPool,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
        )
    return engines[shard]


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
