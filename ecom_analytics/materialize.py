"""Materialize every asset for a range of days through Dagster and its instance.

Ingestion runs one day per run (so memory stays flat however long the range); the marts are
then built in a single run over the whole range, as a backfill in the UI would. Every run is
recorded in `$DAGSTER_HOME`, so it shows in the Dagster UI.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from ecom_analytics.jobs import INGEST_JOB, MARTS_JOB
from ecom_analytics.partitions import daily_partitions, window_dates

# Runs log every event to the console at DEBUG; here each run is summed up in one line
# instead, and the full event log stays in the instance (and the UI).
QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class MaterializeError(ValueError):
    """Bad arguments: the range is empty or outside the partitions."""


@dataclass
class RunOutcome:
    label: str
    run_id: str
    success: bool
    failed_checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)


@dataclass
class MaterializeReport:
    runs: list[RunOutcome] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(run.success for run in self.runs)


def check_range(start: date, end: date, instance: dg.DagsterInstance | None = None) -> None:
    """Raise MaterializeError unless start..end (inclusive) are existing daily partitions."""
    if start > end:
        raise MaterializeError(f"--start {start} is after --end {end}")
    keys = daily_partitions.get_partition_keys(dynamic_partitions_store=instance)
    first, last = date.fromisoformat(keys[0]), date.fromisoformat(keys[-1])
    if start < first or end > last:
        raise MaterializeError(
            f"{start}..{end} is outside the daily partitions {first}..{last} "
            "(first: ECOM_START_DATE; last: the last complete UTC day)"
        )


def _outcome(label: str, result: dg.ExecuteInProcessResult) -> RunOutcome:
    outcome = RunOutcome(label=label, run_id=result.run_id, success=result.success)
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        # Dagster wraps what the step raised; the innermost cause is what to fix.
        while error is not None and error.cause is not None:
            error = error.cause
        message = error.message.strip().splitlines()[0] if error else "failed"
        outcome.failed_steps.append(f"{event.step_key}: {message}")
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        if evaluation.severity == dg.AssetCheckSeverity.ERROR:
            outcome.failed_checks.append(name)
        else:
            outcome.warnings.append(name)
    return outcome


def materialize_range(
    defs: dg.Definitions,
    start: date,
    end: date,
    instance: dg.DagsterInstance,
    progress: Callable[[str], None] = print,
) -> MaterializeReport:
    """Ingest each day, then build the marts over the whole range if every day succeeded."""
    check_range(start, end, instance)
    report = MaterializeReport()
    ingest = defs.resolve_job_def(INGEST_JOB)
    days = list(window_dates(start, date.fromordinal(end.toordinal() + 1)))
    for number, day in enumerate(days, start=1):
        result = ingest.execute_in_process(
            run_config=QUIET_CONSOLE,
            instance=instance,
            partition_key=day.isoformat(),
            raise_on_error=False,
        )
        outcome = _outcome(f"ingest {day}", result)
        report.runs.append(outcome)
        progress(_line(f"[{number}/{len(days)}] ingest {day}", outcome))
    if not report.success:
        progress("marts not built: fix the failed partitions above and re-run them")
        return report

    marts = defs.resolve_job_def(MARTS_JOB)
    tags = {
        ASSET_PARTITION_RANGE_START_TAG: start.isoformat(),
        ASSET_PARTITION_RANGE_END_TAG: end.isoformat(),
    }
    with _terminal_output_hidden():
        result = marts.execute_in_process(
            run_config=QUIET_CONSOLE, instance=instance, tags=tags, raise_on_error=False
        )
    outcome = _outcome(f"marts {start}..{end}", result)
    report.runs.append(outcome)
    progress(_line(f"marts {start}..{end}", outcome))
    return report


def materialized_days(defs: dg.Definitions, instance: dg.DagsterInstance) -> set[str]:
    """Partitions every last asset of the graph (one nothing else is built from) has
    materialized: the days a run has carried all the way through."""
    graph = defs.resolve_asset_graph()
    keys = graph.materializable_asset_keys
    last = [key for key in keys if not graph.get(key).child_keys & keys]
    days = [instance.get_materialized_partitions(key) for key in last]
    return set.intersection(*days) if days else set()


@contextmanager
def _terminal_output_hidden() -> Iterator[None]:
    """Keep what a run prints (dbt echoes its whole log) off the terminal: file descriptor 1
    points to /dev/null meanwhile. The run's captured logs, shown in the UI, still hold it."""
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


def _line(label: str, outcome: RunOutcome) -> str:
    status = "ok" if outcome.success else "FAILED"
    parts = [f"{label}: {status} (run {outcome.run_id[:8]})"]
    if outcome.failed_steps:
        parts.append("failed steps: " + "; ".join(outcome.failed_steps))
    if outcome.failed_checks:
        parts.append("failed checks: " + ", ".join(outcome.failed_checks))
    if outcome.warnings:
        parts.append("warnings: " + ", ".join(outcome.warnings))
    return "; ".join(parts)
