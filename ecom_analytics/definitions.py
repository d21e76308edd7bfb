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
    resources=build_resources(),
)
