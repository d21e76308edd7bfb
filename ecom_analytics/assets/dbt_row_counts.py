"""Row counts of each dbt model per day, recorded on each day's materialization.

dagster-dbt reports a model once for the whole window of a run, so every partition of a range
would show the same figures. Here the models' materializations are held back until dbt has
finished (DuckDB admits no reader beside dbt's writing process), each model's rows are
counted per day of the window by its date column, and only then are the materializations
recorded, each partition with its own `dagster/partition_row_count`. A line is logged as each
model finishes, so progress stays visible meanwhile. The later days over which the build
also rebuilt the models that read earlier days are recorded the same way, each as a
materialization of its own partition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

import dagster as dg

from ecom_analytics.checks.dbt_models import MODEL_CHECKS, ModelCheck
from ecom_analytics.engines import Reader, Warehouse
from ecom_analytics.orchestration.late_data import DEPENDENT_KEYS
from ecom_analytics.orchestration.metadata import ROW_COUNT
from ecom_analytics.orchestration.partitions import window_dates

_MODELS = {model.asset_key: model for model in MODEL_CHECKS}


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def daily_row_counts(reader: Reader, model: ModelCheck, start: date, end: date) -> dict[date, int]:
    """Rows of `model` on each day of [start, end), zero for a day without rows. Names come
    from MODEL_CHECKS, never from user input."""
    column = model.window_column
    rows = reader.query(
        f'select "{column}", count(*) from "{model.schema}"."{model.table}" '
        f'where "{column}" >= ? and "{column}" < ? group by 1',
        [start, end],
    ).rows()
    found = {_as_date(day): count for day, count in rows}
    return {day: found.get(day, 0) for day in window_dates(start, end)}


def total_row_count(reader: Reader, model: ModelCheck) -> int:
    return reader.query(f'select count(*) from "{model.schema}"."{model.table}"').item()


def _record_counts(
    context: dg.AssetExecutionContext,
    keys: list[dg.AssetKey],
    warehouse: Warehouse,
    later: tuple[date, date] | None,
) -> dict[dg.AssetKey, dict[date, int]]:
    """Records each model's rows per day of the run's window; returns those of the later
    days [later) of the models built on over them (DEPENDENT_KEYS)."""
    window = context.partition_time_window
    start, end = _as_date(window.start), _as_date(window.end)
    later_counts: dict[dg.AssetKey, dict[date, int]] = {}
    with warehouse.session() as connection:
        for key in keys:
            model = _MODELS.get(key)
            if model is None:
                continue
            if later is not None and key in DEPENDENT_KEYS:
                later_counts[key] = daily_row_counts(connection, model, *later)
            if model.window_column is None:
                # Rebuilt from all history: the table's size, the same for every partition.
                context.add_asset_metadata(
                    {"dagster/row_count": total_row_count(connection, model)}, asset_key=key
                )
                continue
            for day, count in daily_row_counts(connection, model, start, end).items():
                context.add_asset_metadata(
                    {ROW_COUNT: count}, asset_key=key, partition_key=day.isoformat()
                )
    return later_counts


def _flush(
    context: dg.AssetExecutionContext,
    held: list[tuple[dg.AssetKey, Any]],
    warehouse: Warehouse,
    later: tuple[date, date] | None = None,
) -> Iterator[Any]:
    later_counts: dict[dg.AssetKey, dict[date, int]] = {}
    try:
        later_counts = _record_counts(context, [key for key, _ in held], warehouse, later)
    except Exception as error:  # any engine's driver error: the counts are only metadata
        # The models are built either way; only their figures are missing.
        context.log.warning(f"dbt models built, row counts not recorded: {error}")
    for key, output in held:
        yield output
        if later is None or key not in DEPENDENT_KEYS:
            continue
        # Right after the model's own output, in dbt's order, so each later partition is
        # newer than every partition it reads (what Dagster's staleness compares).
        counts = later_counts.get(key, {})
        for day in window_dates(*later):
            metadata = {ROW_COUNT: counts[day]} if day in counts else {}
            yield dg.AssetMaterialization(
                asset_key=key,
                partition=day.isoformat(),
                description=f"rebuilt with the earlier days of run {context.run.run_id[:8]}",
                metadata=metadata,
            )


def with_daily_row_counts(
    context: dg.AssetExecutionContext,
    events: Iterable[Any],
    warehouse: Warehouse,
    later: tuple[date, date] | None = None,
) -> Iterator[Any]:
    """dagster-dbt's events, with each model's output held back and given per-day row counts
    once dbt is done. Test results and everything else pass through at once.

    `later`: the days [first, end) after the run's window over which the build also rebuilt
    the models that read earlier days (late_data.DEPENDENT_KEYS); once dbt succeeded, each
    of those days of those models is recorded as materialized by this run. When dbt failed,
    they are not: the UI keeps them stale until a run rebuilds them.
    """
    held: list[tuple[dg.AssetKey, Any]] = []
    try:
        for event in events:
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                context.log.info(f"dbt: {key.to_user_string()} built")
                held.append((key, event))
            else:
                yield event
    except Exception:
        # dbt failed part-way (a failed test, a model error): what it built is still recorded.
        yield from _flush(context, held, warehouse)
        raise
    yield from _flush(context, held, warehouse, later)
