"""The daily schedule: yesterday's partition, end to end, shortly after midnight UTC."""

from __future__ import annotations

import dagster as dg

from ecom_analytics.orchestration.jobs import pipeline

# Without an explicit offset the schedule targets the last complete partition: yesterday.
daily_schedule = dg.build_schedule_from_partitioned_job(
    pipeline,
    name="daily_pipeline_schedule",
    hour_of_day=0,
    minute_of_hour=30,
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
