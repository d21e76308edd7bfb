"""How the dbt step builds its partition window: only the days whose ingestion passed.

When every day of the window passed its ingestion rules, the window is one `dbt build`. When
some did not (checks/day_verdicts.py), each run of consecutive good days is built on its own,
materializations are recorded for those days only, and the step then fails naming the days
it held back and why, so they never reach staging and the run reports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource

from ecom_analytics import engines, settings
from ecom_analytics.assets.dbt_env import dbt_window_env, environment, keep_partial_parse
from ecom_analytics.assets.dbt_targets import prune_invocation_targets
from ecom_analytics.checks.day_verdicts import describe, good_windows, held_back_days
from ecom_analytics.project import dbt_vars_args
from ecom_analytics.runs.fault_points import DBT_MID_BUILD, pause_at
from ecom_analytics.runs.recovery import child_tags

# The staging views over validated tables (dbt_project/models/staging).
STAGING_VIEWS = ("stg_events", "stg_users")


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def build_window(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    args: list[str],
    later_end: date | None = None,
) -> Iterator[Any]:
    """Build the step's partition window, holding back the days that failed ingestion.

    With `later_end` (late_data.later_days_end), the models that read earlier days are built
    on to it in the same build; not when days are held back: the step fails then, and the
    later days wait for a run that builds the whole window.
    """
    window = context.partition_time_window
    start, end = _as_date(window.start), _as_date(window.end)
    # Judged over every ingested day, also those after the window: models that read all
    # history (stg_products, the stg_events and stg_users views) leave out every held-back
    # day, not only this window's.
    held_everywhere = held_back_days(engines.current_warehouse(), settings.start_date(), date.max)
    held = {day: why for day, why in held_everywhere.items() if start <= day < end}
    if not held:
        env = dbt_window_env(start, end, list(held_everywhere), later_end)
        yield from _build(context, dbt, args, env)
        return
    context.log.warning(f"held back from staging: {describe(held)}")
    windows = good_windows(start, end, set(held))
    if not windows:
        # No model is built, yet the staging views must now leave these days out.
        _refresh_staging_views(dbt, dbt_window_env(start, end, list(held_everywhere)))
    checks: dict[tuple[Any, str], dg.AssetCheckResult] = {}
    for first, stop in windows:
        days = [first + timedelta(days=n) for n in range((stop - first).days)]
        env = dbt_window_env(first, stop, list(held_everywhere))
        for event in _build(context, dbt, args, env):
            if isinstance(event, dg.Output):
                # An output would stand for every partition of the step's range.
                key = context.asset_key_for_output(event.output_name)
                for day in days:
                    yield dg.AssetMaterialization(
                        asset_key=key, partition=day.isoformat(), metadata=event.metadata
                    )
            elif isinstance(event, dg.AssetCheckResult):
                # One result per check and step: a failure in any sub-window wins.
                key = (event.asset_key, event.check_name)
                if key not in checks or checks[key].passed:
                    checks[key] = event
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


def _refresh_staging_views(dbt: DbtCliResource, env: dict[str, str]) -> None:
    """Recreate the staging views alone, with the held-back days of `env` left out; no
    asset is materialized by it."""
    with environment(env):
        # One --select value: dagster-dbt's own parsing of the args takes one per flag.
        invocation = dbt.cli(["run", "--select", " ".join(STAGING_VIEWS), *dbt_vars_args()])
        try:
            invocation.wait()
        finally:
            prune_invocation_targets(invocation.target_path)


def _build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, args: list[str], env: dict[str, str]
) -> Iterator:
    with environment(env):
        invocation = dbt.cli(args, context=context)
    # A later run stops this dbt if the process that started it is killed (recovery.py).
    context.instance.add_run_tags(context.run.run_id, child_tags(invocation.process.pid))
    try:
        for number, event in enumerate(invocation.stream()):
            if number == 1:
                pause_at(DBT_MID_BUILD)
            yield event
    finally:
        prune_invocation_targets(invocation.target_path)
    keep_partial_parse(invocation.target_path)
