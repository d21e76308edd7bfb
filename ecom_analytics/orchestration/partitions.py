"""The one daily partitioning every asset shares, and helpers to turn windows into dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import dagster as dg

from ecom_analytics import settings

# end_offset=0: the last partition is the last complete UTC day.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=settings.start_date().isoformat(),
    timezone="UTC",
    end_offset=0,
)


def window_dates(start: datetime | date, end: datetime | date) -> Iterator[date]:
    """Each UTC day in the half-open window [start, end)."""
    day = start.date() if isinstance(start, datetime) else start
    last = end.date() if isinstance(end, datetime) else end
    while day < last:
        yield day
        day += timedelta(days=1)


def partition_key_to_date(partition_key: str) -> date:
    return date.fromisoformat(partition_key)
