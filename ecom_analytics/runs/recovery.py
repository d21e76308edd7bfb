"""Runs whose process is gone: find them, mark them failed, free what they held.

A run killed with SIGKILL (or by the out-of-memory killer, a reboot, a closed laptop) cannot
report its own end: Dagster keeps it STARTED and its `duckdb_writer` slot claimed, and every
later run would wait for that slot forever. Every way of starting a run here (`materialize`,
`demo`, the landing sensor) calls `recover_dead_runs` first.

A run started by `materialize` carries its process id, host and process start time as tags
(the start time tells a reused pid apart). A run launched from the UI is executed by a run
worker whose pid Dagster records in the run's "Started process" engine event; the default
run launcher starts it on this host. A dbt child left behind by a dead run is stopped too:
it would otherwise keep writing the warehouse file and hold DuckDB's lock.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Mapping

import dagster as dg
import psutil
from dagster._core.events import DagsterEventType

from ecom_analytics import settings

PID_TAG = "ecom_analytics/pid"
HOST_TAG = "ecom_analytics/host"
STARTED_TAG = "ecom_analytics/process_started"
CHILD_PID_TAG = "ecom_analytics/dbt_pid"
CHILD_STARTED_TAG = "ecom_analytics/dbt_process_started"

UNFINISHED = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]

Log = Callable[[str], None]


def _create_time(pid: int) -> str | None:
    try:
        return f"{psutil.Process(pid).create_time():.2f}"
    except psutil.Error:
        return None


def process_tags(pid: int | None = None) -> dict[str, str]:
    """Tags naming the process that executes a run (default: this one)."""
    pid = os.getpid() if pid is None else pid
    return {
        PID_TAG: str(pid),
        HOST_TAG: socket.gethostname(),
        STARTED_TAG: _create_time(pid) or "",
    }


def child_tags(pid: int) -> dict[str, str]:
    """Tags naming a child process (dbt) a run started; added while the run executes."""
    return {CHILD_PID_TAG: str(pid), CHILD_STARTED_TAG: _create_time(pid) or ""}


def is_alive(pid: int, started: str | None) -> bool:
    """True while process `pid` runs and, when `started` is known, is the same process."""
    created = _create_time(pid)
    if created is None:
        return False
    try:
        if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return False
    except psutil.Error:
        return False
    return not started or abs(float(created) - float(started)) < 1.0


def _worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The run worker's pid, from the engine event Dagster logs when the worker starts."""
    records = instance.get_records_for_run(
        run_id, of_type=DagsterEventType.ENGINE_EVENT, limit=20
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        metadata = event.engine_event_data.metadata if event and event.engine_event_data else {}
        pid = metadata.get("pid")
        if pid is not None:
            return int(pid.value)
    return None


def run_process_is_gone(instance: dg.DagsterInstance, run: dg.DagsterRun) -> bool:
    """True when the process executing `run` is known and no longer exists on this host."""
    tags: Mapping[str, str] = run.tags
    if PID_TAG in tags:
        if tags.get(HOST_TAG) != socket.gethostname():
            return False  # another machine's run: only its own host can judge it
        return not is_alive(int(tags[PID_TAG]), tags.get(STARTED_TAG))
    if run.status == dg.DagsterRunStatus.STARTING:
        return False  # a launching worker has not logged its pid yet
    pid = _worker_pid(instance, run.run_id)
    return pid is not None and not is_alive(pid, None)


def _stop_orphan(run: dg.DagsterRun, log: Log) -> None:
    """Stop the dbt process a dead run left running, and wait until it has let go."""
    pid = run.tags.get(CHILD_PID_TAG)
    if pid is None or not is_alive(int(pid), run.tags.get(CHILD_STARTED_TAG)):
        return
    log(f"stopping dbt (pid {pid}) left running by run {run.run_id}")
    child = psutil.Process(int(pid))
    child.terminate()
    try:
        child.wait(timeout=10)
    except psutil.TimeoutExpired:
        child.kill()
        child.wait(timeout=10)


def _remove_leftovers(run: dg.DagsterRun, log: Log) -> None:
    """Delete the temporary files a dead run left: its ingestion staging folder and a half
    written dashboard snapshot (neither was ever visible to a reader)."""
    from ecom_analytics.assets.ingestion import STAGING_FOLDER

    snapshot = settings.dashboard_snapshot_path()
    pid = run.tags.get(PID_TAG)
    leftovers = [settings.data_dir() / STAGING_FOLDER / run.run_id]
    if pid is not None:
        publishing = snapshot.with_name(f".{snapshot.name}.{pid}.publishing")
        leftovers += [publishing, publishing.with_name(f"{publishing.name}.wal")]
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            log(f"removed {path}")
        elif path.exists():
            path.unlink(missing_ok=True)
            log(f"removed {path}")


def recover_dead_runs(instance: dg.DagsterInstance, log: Log = print) -> list[str]:
    """Mark failed every unfinished run whose process is gone and free the concurrency slots
    of every finished run that still holds one. Returns the ids of the runs marked failed."""
    failed = []
    for run in instance.get_runs(dg.RunsFilter(statuses=UNFINISHED)):
        if not run_process_is_gone(instance, run):
            continue
        _stop_orphan(run, log)
        _remove_leftovers(run, log)
        message = (
            f"The process executing this run is gone (pid {run.tags.get(PID_TAG, '?')} on "
            f"{run.tags.get(HOST_TAG, 'this host')}): killed, out of memory or the machine "
            "stopped. Marked failed and its concurrency slots freed by the next run."
        )
        instance.report_run_failed(run, message=message)
        log(f"run {run.run_id}: its process is gone; marked failed, slots freed")
        failed.append(run.run_id)
    storage = instance.event_log_storage
    for pool in instance.event_log_storage.get_concurrency_keys() | {settings.DUCKDB_WRITER_POOL}:
        info = storage.get_concurrency_info(pool)
        for run_id in info.active_run_ids | {step.run_id for step in info.pending_steps}:
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)
    return failed


def writer_slot_holders(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """Unfinished runs holding the `duckdb_writer` slot."""
    info = instance.event_log_storage.get_concurrency_info(settings.DUCKDB_WRITER_POOL)
    runs = [instance.get_run_by_id(run_id) for run_id in sorted(info.active_run_ids)]
    return [run for run in runs if run is not None and not run.is_finished]
