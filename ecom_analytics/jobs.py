"""Jobs: the per-day ingestion job and the marts job that dbt and the dashboard snapshot share."""

from __future__ import annotations

import dagster as dg

INGEST_JOB = "ingest_day"
MARTS_JOB = "build_marts"
DAILY_JOB = "daily_pipeline"
INGESTION_GROUPS = ("raw", "validated", "quality")

# Landing files to validated tables and quarantine, one day per run (memory stays flat).
ingest_day = dg.define_asset_job(
    name=INGEST_JOB,
    selection=dg.AssetSelection.groups(*INGESTION_GROUPS),
    description="Read, validate and quarantine one day's landing files.",
)

# Everything downstream of validation: dbt models and the dashboard snapshot, one run per
# range (dbt backfills run as a single invocation).
build_marts = dg.define_asset_job(
    name=MARTS_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("landing", *INGESTION_GROUPS),
    description="Build the dbt models and publish the dashboard snapshot for a day or a range.",
)

# One day end to end (ingestion, marts, dashboard snapshot): what the schedule and the
# landing sensor launch.
daily_pipeline = dg.define_asset_job(
    name=DAILY_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("landing"),
    description="Everything for one day: ingest, validate, build the marts, publish the snapshot.",
)
