"""The SQLite event log keeps one engine per database file and still stores every event."""

import time

import dagster as dg
import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from ecom_analytics.orchestration.event_log import IDLE_CLOSE_SECONDS, reuse_event_log_engines


def test_a_database_file_keeps_its_engine(tmp_path):
    reuse_event_log_engines()
    storage = SqliteEventLogStorage(str(tmp_path))
    with storage.run_connection("run-a"):
        pass
    engine = storage.__dict__["_ecom_engines"]["run-a"]
    # One at a time: the storage holds its lock for the length of a connection.
    with storage.run_connection("run-a"):
        pass
    with storage.index_connection():
        pass
    engines = storage.__dict__["_ecom_engines"]
    assert engines["run-a"] is engine
    assert set(engines) == {"run-a", "index"}


def test_a_run_on_kept_engines_records_its_events(tmp_path):
    reuse_event_log_engines()

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"))
    def daily(context: dg.AssetExecutionContext) -> None:
        context.log.info("built")

    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
            assert dg.materialize([daily], partition_key=day, instance=instance).success
        stored = instance.fetch_materializations(daily.key, limit=10).records
        assert sorted(record.partition_key for record in stored) == [
            "2024-01-01",
            "2024-01-02",
            "2024-01-03",
        ]
        run_ids = {record.run_id for record in stored}
        assert len(run_ids) == 3
        # Each run's own database (a shard of its own) holds its events, read back whole.
        for run_id in run_ids:
            logs = instance.all_logs(run_id)
            assert any(
                entry.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS for entry in logs
            )


def test_the_index_keeps_its_connection_and_syncs_at_checkpoints(tmp_path):
    reuse_event_log_engines()
    storage = SqliteEventLogStorage(str(tmp_path))
    with storage.index_connection() as conn:
        first = conn.connection.dbapi_connection
        assert conn.execute(sa.text("pragma synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(sa.text("pragma journal_mode")).scalar() == "wal"
    with storage.index_connection() as conn:
        assert conn.connection.dbapi_connection is first
    # A run's database keeps its connection for a moment, then closes it: closing
    # checkpoints the write-ahead log into the file the UI watches for new events.
    with storage.run_connection("run-a") as conn:
        run_first = conn.connection.dbapi_connection
        assert conn.execute(sa.text("pragma synchronous")).scalar() == 1
        conn.execute(sa.text("create table t (x integer)"))
        conn.execute(sa.text("insert into t values (1)"))
    with storage.run_connection("run-a") as conn:
        assert conn.connection.dbapi_connection is run_first
    wal = tmp_path / "run-a.db-wal"
    deadline = time.monotonic() + 50 * IDLE_CLOSE_SECONDS
    while wal.exists() and time.monotonic() < deadline:
        time.sleep(IDLE_CLOSE_SECONDS / 4)
    assert not wal.exists()
    with storage.run_connection("run-a") as conn:
        assert conn.connection.dbapi_connection is not run_first
        assert conn.execute(sa.text("select x from t")).scalar() == 1
