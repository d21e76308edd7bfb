"""The code location: wiring only."""

import dagster as dg

from ecom_analytics.assets.dashboard import dashboard_assets
from ecom_analytics.assets.dbt import dbt_assets_defs
from ecom_analytics.assets.ingestion import ingest_landing_files, landing_files
from ecom_analytics.checks.dbt_models import dbt_check_defs
from ecom_analytics.jobs import pipeline
from ecom_analytics.resources import build_resources
from ecom_analytics.schedules import daily_schedule
from ecom_analytics.sensors import landing_sensor

defs = dg.Definitions(
    assets=[*landing_files, ingest_landing_files, *dbt_assets_defs, *dashboard_assets],
    asset_checks=dbt_check_defs,
    jobs=[pipeline],
    schedules=[daily_schedule],
    sensors=[landing_sensor],
    resources=build_resources(),
)
