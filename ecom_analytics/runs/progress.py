"""Progress lines for `materialize` on the terminal: one per step finished, with its checks.

A Dagster logger added to the job for the run: it reads the run's structured events (not its
messages) and writes one short line to standard error when a step finishes, naming how long
it took and how its asset checks came out. Lines per ingested day and per dbt model come from
the steps themselves (their INFO messages).
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import TextIO

import dagster as dg
from dagster._core.events import DagsterEventType

_DONE = {DagsterEventType.STEP_SUCCESS: "done", DagsterEventType.STEP_FAILURE: "FAILED"}


class StepProgress(logging.Handler):
    """Counts check outcomes per step and reports each step as it ends."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.checks: dict[str, Counter] = {}

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None or event.step_key is None:
            return
        if event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.passed:
                outcome = "passed"
            elif evaluation.severity == dg.AssetCheckSeverity.WARN:
                outcome = "warned"
            else:
                outcome = "failed"
            self.checks.setdefault(event.step_key, Counter())[outcome] += 1
        elif event.event_type in _DONE:
            self.write(self.line(event.step_key, _DONE[event.event_type], event))

    def line(self, step_key: str, status: str, event) -> str:
        text = f"step {step_key}: {status}"
        duration = getattr(event.event_specific_data, "duration_ms", None)
        if duration is not None:
            text += f" in {duration / 1000:.1f} s"
        counts = self.checks.get(step_key)
        if counts:
            parts = [f"{counts[o]} {o}" for o in ("passed", "warned", "failed") if counts[o]]
            text += f"; checks: {', '.join(parts)}"
        return text

    def write(self, text: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(text + "\n")
        stream.flush()


@dg.logger(description="One line per finished step and its check outcomes, on standard error.")
def step_progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("ecom_analytics.runs.progress")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.handlers = [StepProgress()]
    return logger


def with_progress(job: dg.JobDefinition) -> dg.JobDefinition:
    """`job` with the step progress logger beside its own loggers."""
    return job.with_logger_defs({**job.loggers, "progress": step_progress_logger})
