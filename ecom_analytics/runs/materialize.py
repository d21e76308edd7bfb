"""Materialize every asset for a range of days through Dagster and its instance.

The range runs as one Dagster run (every asset has a single-run backfill policy): ingestion
goes day by day inside its step, so memory stays at one day, and dbt builds the whole range
in one invocation. The run is recorded in `$DAGSTER_HOME`, so it shows in the Dagster UI.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from dagster._core.utils import make_new_run_id

from ecom_analytics.orchestration.event_log import reuse_event_log_engines
from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.late_runs import (
    FOLLOWED_UP_TAG,
    SNAPSHOT_KEY,
    rebuild_later_days,
)
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.runs.progress import with_progress
from ecom_analytics.runs.recovery import process_tags
from ecom_analytics.runs.run_guard import (
    cancel_on_signal,
    finish_canceled,
    sleep_while_slot_is_taken,
    wait_for_writer_slot,
)

# On the terminal, the run's own messages (a line per ingested day) and its warnings; every
# event stays in the instance and shows in the UI.
# A line per finished step with its check outcomes comes from the progress logger.
CONSOLE_INFO = {"loggers": {"console": {"config": {"log_level": "INFO"}}, "progress": {}}}


class MaterializeError(ValueError):
    """Bad arguments: the range is empty or outside the partitions."""


@dataclass
class MaterializeReport:
    run_id: str
    success: bool
    seconds: float
    failed_checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    # The signal that stopped the run (SIGINT, SIGTERM), when one did.
    canceled_by: str | None = None
    # Later days rebuilt because this range changed, and why (late data).
    later_days: list[str] = field(default_factory=list)

    def add(self, other: MaterializeReport) -> None:
        """Fold a follow-up run into this report: the command fails if any run failed."""
        self.success = self.success and other.success
        self.seconds += other.seconds
        self.run_id = f"{self.run_id}, {other.run_id}"
        self.failed_checks += other.failed_checks
        self.warnings += other.warnings
        self.failed_steps += other.failed_steps
        self.canceled_by = self.canceled_by or other.canceled_by

    def summary(self) -> str:
        outcome = "succeeded" if self.success else "FAILED"
        if self.canceled_by:
            outcome = f"CANCELED ({self.canceled_by})"
        lines = [f"run {self.run_id}: {outcome} in {self.seconds:.1f} s"]
        if self.later_days:
            lines.append("later days rebuilt (they read the days run):")
            lines += [f"  {line}" for line in self.later_days]
        if self.failed_steps:
            lines.append("failed steps: " + ", ".join(self.failed_steps))
        if self.failed_checks:
            lines.append("failed blocking checks: " + ", ".join(self.failed_checks))
        if self.warnings:
            lines.append("check warnings: " + ", ".join(self.warnings))
        return "\n".join(lines)


def check_range(start: date, end: date) -> None:
    """Raise MaterializeError unless start..end (inclusive) are existing daily partitions."""
    if start > end:
        raise MaterializeError(f"--start {start} is after --end {end}")
    keys = daily_partitions.get_partition_keys()
    if not keys:
        raise MaterializeError("no daily partition exists yet (ECOM_START_DATE is today)")
    first, last = date.fromisoformat(keys[0]), date.fromisoformat(keys[-1])
    if start < first or end > last:
        raise MaterializeError(
            f"{start}..{end} is outside the daily partitions {first}..{last} "
            "(first: ECOM_START_DATE; last: the last complete UTC day)"
        )


def materialize_range(
    defs: dg.Definitions, start: date, end: date, instance: dg.DagsterInstance
) -> MaterializeReport:
    """Run every asset for start..end (inclusive) in one run recorded in `instance`; inside
    built history that run also rebuilds the models that read earlier days over the later
    days (assets/dbt.py). Then rebuild the later days whose ingestion it changed
    (`orchestration/late_runs.py`).

    Each run publishes the dashboard snapshot at its end, except a follow-up with another
    after it: the snapshot of the last run sees every rebuilt day. When a run fails, nothing
    follows and the dashboard keeps the snapshot it had."""
    check_range(start, end)
    tags = {
        ASSET_PARTITION_RANGE_START_TAG: start.isoformat(),
        ASSET_PARTITION_RANGE_END_TAG: end.isoformat(),
        FOLLOWED_UP_TAG: "materialize",
    }
    report = _execute(defs, PIPELINE_JOB, tags, instance)

    def follow_up(job_name: str, run_tags: dict[str, str], last: bool) -> bool:
        skipped = () if last else (SNAPSHOT_KEY,)
        later = _execute(defs, job_name, run_tags, instance, skip=skipped)
        report.add(later)
        return later.success

    if report.success:
        report.later_days = rebuild_later_days(start, end, instance, follow_up, say=_to_stderr)
    return report


def _execute(
    defs: dg.Definitions,
    job_name: str,
    tags: dict[str, str],
    instance: dg.DagsterInstance,
    skip: tuple[dg.AssetKey, ...] = (),
) -> MaterializeReport:
    """Run `job_name` (without the assets in `skip`) in this process, recorded in `instance`."""
    job = with_progress(defs.resolve_job_def(job_name))
    selection = None
    if skip:
        selection = [key for key in job.asset_layer.executable_asset_keys if key not in skip]
    # Lets a later run tell whether this one's process is still alive (recovery.py).
    tags = {**tags, **process_tags()}
    # A dead run's slot is freed, a live one's waited for (asleep, saying on what).
    wait_for_writer_slot(instance, log=_to_stderr)
    sleep_while_slot_is_taken()
    reuse_event_log_engines()
    began = time.perf_counter()
    run_id = make_new_run_id()
    with _stdout_hidden(), cancel_on_signal(instance, run_id) as signals:
        result = job.execute_in_process(
            run_config=CONSOLE_INFO,
            instance=instance,
            tags=tags,
            run_id=run_id,
            raise_on_error=False,
            asset_selection=selection,
        )
    finish_canceled(instance, run_id, signals)
    report = MaterializeReport(
        run_id=result.run_id,
        success=result.success and not signals,
        seconds=time.perf_counter() - began,
        canceled_by=signals[0] if signals else None,
    )
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.severity == dg.AssetCheckSeverity.ERROR:
            report.failed_checks.append(name)
        else:
            report.warnings.append(name)
    report.failed_steps = [_failure(event) for event in result.get_step_failure_events()]
    return report


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _failure(event: dg.DagsterEvent) -> str:
    """`step: what it raised`, from the innermost cause of the step's error."""
    error = event.step_failure_data.error
    while error is not None and error.cause is not None:
        error = error.cause
    message = error.message.strip().splitlines()[0] if error else "failed"
    return f"{event.step_key}: {message}"


@contextmanager
def _stdout_hidden() -> Iterator[None]:
    """Keep what a run prints on standard output (dbt echoes its whole log there) off the
    terminal: file descriptor 1 points to /dev/null meanwhile. The run's captured logs, shown
    in the UI, still hold it; log messages go to standard error and stay visible."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def materialized_days(defs: dg.Definitions, instance: dg.DagsterInstance) -> set[str]:
    """Partitions every last asset of the graph (one nothing else is built from) has
    materialized: the days a run has carried all the way through."""
    graph = defs.resolve_asset_graph()
    keys = graph.materializable_asset_keys
    last = [key for key in keys if not graph.get(key).child_keys & keys]
    days = [instance.get_materialized_partitions(key) for key in last]
    return set.intersection(*days) if days else set()
