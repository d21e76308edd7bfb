"""The code location: wiring only."""

import dagster as dg

from ecom_analytics.assets.ingestion import landing_files, raw_tables, validated_tables
from ecom_analytics.jobs import build_marts, ingest_day
from ecom_analytics.resources import build_resources

defs = dg.Definitions(
    assets=[*landing_files, raw_tables, validated_tables],
    jobs=[ingest_day, build_marts],
    resources=build_resources(),
)
