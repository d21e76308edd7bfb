"""A sensor, on by default, that fails runs whose process died and frees their writer slot.

Under `dagster dev` the daemon runs it every 30 seconds, so a run launched from the UI that
waits for the `duckdb_writer` slot of a killed run goes ahead without anyone running a
command. The command line (`materialize`, `demo`, `recover`) does the same before it starts.
"""

from __future__ import annotations

import dagster as dg

from ecom_analytics.runs.recovery import recover_dead_runs

RECOVERY_INTERVAL_SECONDS = 30


@dg.sensor(
    name="dead_runs_sensor",
    minimum_interval_seconds=RECOVERY_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Every 30 s: marks failed the unfinished runs whose process is gone (kill -9, out of "
        "memory, reboot) and frees the concurrency slots they hold, so queued runs go ahead. "
        "Launches nothing."
    ),
)
def dead_runs_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    """Source: the instance's unfinished runs. Purpose: no dead run blocks the writer pool."""
    failed = recover_dead_runs(context.instance, log=context.log.warning)
    if failed:
        return dg.SkipReason(f"marked failed and freed the slots of dead runs: {', '.join(failed)}")
    return dg.SkipReason("no dead runs")
