"""Before and around a run started from the command line: wait for the writer slot without
spinning, and turn SIGINT/SIGTERM into a clean cancellation."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from ecom_analytics import settings
from ecom_analytics.runs.recovery import PID_TAG, Log, recover_dead_runs, writer_slot_holders

# How often a waiting run looks at the slot again, and how often it says what it waits on.
POLL_SECONDS = 2.0
REPORT_EVERY_SECONDS = 30.0


def wait_for_writer_slot(instance: dg.DagsterInstance, log: Log = print) -> None:
    """Return once no live run holds the `duckdb_writer` slot; runs whose process is gone are
    marked failed and their slots freed on the way. Sleeps between looks (no busy wait)."""
    last_report = None
    while True:
        recover_dead_runs(instance, log)
        holders = writer_slot_holders(instance)
        if not holders:
            return
        now = time.monotonic()
        if last_report is None or now - last_report >= REPORT_EVERY_SECONDS:
            names = ", ".join(
                f"run {run.run_id} ({run.status.value}, pid {run.tags.get(PID_TAG, '?')})"
                for run in holders
            )
            log(f"waiting for the {settings.DUCKDB_WRITER_POOL} slot, held by {names}")
            last_report = now
        time.sleep(POLL_SECONDS)


@contextmanager
def cancel_on_signal(instance: dg.DagsterInstance, run_id: str) -> Iterator[list[str]]:
    """While the block runs, SIGINT or SIGTERM marks run `run_id` canceling; Dagster, which
    handles both signals during execution, then stops at the next safe point (inside a step:
    at once; dbt is terminated) and records the run as canceled. Yields the list of signal
    names received, so the caller can finish the bookkeeping if the run ended otherwise.

    Dagster replaces the Python signal handlers while it executes, so the signal is observed
    through `signal.set_wakeup_fd`, which sees every signal whatever handler is installed.
    """
    received: list[str] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    previous_term = signal.signal(signal.SIGTERM, signal.default_int_handler)

    def watch() -> None:
        while True:
            data = os.read(read_fd, 64)
            if not data:
                return
            for signo in data:
                if signo not in (signal.SIGINT, signal.SIGTERM):
                    continue
                received.append(signal.Signals(signo).name)
                run = instance.get_run_by_id(run_id)
                if run is not None and run.status == dg.DagsterRunStatus.STARTED:
                    instance.report_run_canceling(run, message=f"{received[-1]} received")

    watcher = threading.Thread(target=watch, name="cancel-on-signal", daemon=True)
    watcher.start()
    try:
        yield received
    finally:
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGTERM, previous_term)
        os.close(write_fd)
        watcher.join(timeout=5)
        os.close(read_fd)


def finish_canceled(instance: dg.DagsterInstance, run_id: str, received: list[str]) -> None:
    """After a signal, make sure the run is recorded as canceled, not failed: the signal may
    have stopped it before the watcher marked it canceling."""
    run = instance.get_run_by_id(run_id)
    if received and run is not None and run.status != dg.DagsterRunStatus.CANCELED:
        instance.report_run_canceled(run, message=f"{received[0]} received: run stopped")


def _interval_to_next_pending_claim_check(self) -> float:
    """Seconds until a step blocked on a concurrency slot should try again (never negative)."""
    if not self._pending_claims:
        return 0.0
    now = time.time()
    return max(0.0, min(ready_at - now for ready_at in self._pending_timeouts.values()))


def sleep_while_slot_is_taken() -> None:
    """Make a run whose step waits for a concurrency slot sleep between claims.

    Dagster 1.13's in-process executor computes the wait as `min([0, *timeouts])`, which is
    never positive, so a blocked step retries its claim in a tight loop at 100% CPU. This
    replaces that one method with the intended "time until the next retry".
    """
    from dagster._core.execution.plan.instance_concurrency_context import (
        InstanceConcurrencyContext,
    )

    InstanceConcurrencyContext.interval_to_next_pending_claim_check = (
        _interval_to_next_pending_claim_check
    )
