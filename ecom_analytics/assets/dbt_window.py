"""How the dbt step builds its partition window: only the days whose ingestion passed.

When every day of the window passed its ingestion rules, the window is one `dbt build`. When
some did not (checks/day_verdicts.py), each run of consecutive good days is built on its own,
materializations are recorded for those days only, and the step then fails naming the days
it held back and why, so they never reach staging and the run reports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource

from ecom_analytics import settings
from ecom_analytics.checks.day_verdicts import describe, good_windows, held_back_days
from ecom_analytics.fault_points import DBT_MID_BUILD, pause_at
from ecom_analytics.recovery import child_tags
from ecom_analytics.resources import Warehouse

BuildArgs = Callable[[date, date], list[str]]


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def build_window(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, build_args: BuildArgs
) -> Iterator[Any]:
    """Build the step's partition window, holding back the days that failed ingestion."""
    window = context.partition_time_window
    start, end = _as_date(window.start), _as_date(window.end)
    held = held_back_days(Warehouse(path=str(settings.warehouse_path())), start, end)
    if not held:
        yield from _build(context, dbt, build_args(start, end))
        return
    context.log.warning(f"held back from staging: {describe(held)}")
    checks: dict[dg.AssetCheckKey, Any] = {}
    for first, stop in good_windows(start, end, set(held)):
        days = [first + timedelta(days=n) for n in range((stop - first).days)]
        for event in _build(context, dbt, build_args(first, stop)):
            if isinstance(event, dg.Output):
                # An output would stand for every partition of the step's range.
                key = context.asset_key_for_output(event.output_name)
                for day in days:
                    yield dg.AssetMaterialization(
                        asset_key=key, partition=day.isoformat(), metadata=event.metadata
                    )
            elif isinstance(event, dg.AssetCheckResult):
                # One result per check and step: a failure in any sub-window wins.
                known = checks.get(event.check_key)
                if known is None or known.passed:
                    checks[event.check_key] = event
            else:
                yield event
    yield from checks.values()
    raise dg.Failure(
        description=(
            f"{len(held)} day(s) held back before staging, the other days were built: "
            f"{describe(held)}"
        ),
        metadata={"held_back_days": [day.isoformat() for day in held]},
    )


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, args: list[str]) -> Iterator:
    invocation = dbt.cli(args, context=context)
    # A later run stops this dbt if the process that started it is killed (recovery.py).
    context.instance.add_run_tags(context.run_id, child_tags(invocation.process.pid))
    for number, event in enumerate(invocation.stream()):
        if number == 1:
            pause_at(DBT_MID_BUILD)
        yield event
