"""The code location: wiring only."""

import dagster as dg

from ecom_analytics.assets.ingestion import landing_files, raw_tables, validated_tables
from ecom_analytics.jobs import build_marts, daily_pipeline, ingest_day
from ecom_analytics.resources import build_resources
from ecom_analytics.schedules import daily_schedule
from ecom_analytics.sensors import landing_sensor

defs = dg.Definitions(
    assets=[*landing_files, raw_tables, validated_tables],
    jobs=[ingest_day, build_marts, daily_pipeline],
    schedules=[daily_schedule],
    sensors=[landing_sensor],
    # Every step writes or reads DuckDB in a pool of one, so steps never run side by side:
    # one process per run instead of one per step saves seconds of start-up on each step.
    executor=dg.in_process_executor,
    resources=build_resources(),
)
