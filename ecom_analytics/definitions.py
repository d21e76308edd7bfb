"""The code location: wiring only."""

import dagster as dg

from ecom_analytics.assets.dashboard import dashboard_assets
from ecom_analytics.assets.dbt import dbt_assets_defs
from ecom_analytics.assets.ingestion import ingest_landing_files, landing_files
from ecom_analytics.checks.dbt_models import dbt_check_defs
from ecom_analytics.checks.metric_anomalies import anomaly_check_defs
from ecom_analytics.orchestration.event_log import reuse_event_log_engines
from ecom_analytics.orchestration.jobs import pipeline
from ecom_analytics.orchestration.late_runs import late_data_sensor, late_dependents
from ecom_analytics.orchestration.metadata import describe
from ecom_analytics.orchestration.recovery_sensor import dead_runs_sensor
from ecom_analytics.orchestration.resources import build_resources
from ecom_analytics.orchestration.schedules import daily_schedule
from ecom_analytics.orchestration.sensors import landing_sensor
from ecom_analytics.runs.run_guard import sleep_while_slot_is_taken

# Runs launched from the UI load this module in their worker: a step waiting for the writer
# slot sleeps between claims instead of spinning a core (see run_guard).
sleep_while_slot_is_taken()
# ...and stores its events without building a database engine for each one (see event_log).
reuse_event_log_engines()

defs = dg.Definitions(
    # Owners, column schemas, freshness policies and code references are added in one place.
    assets=describe([*landing_files, ingest_landing_files, *dbt_assets_defs, *dashboard_assets]),
    asset_checks=[*dbt_check_defs, *anomaly_check_defs],
    jobs=[pipeline, late_dependents],
    schedules=[daily_schedule],
    sensors=[landing_sensor, late_data_sensor, dead_runs_sensor],
    # Every step writes or reads DuckDB in a pool of one, so steps never run side by side:
    # one process per run instead of one per step saves seconds of start-up on each step.
    executor=dg.in_process_executor,
    resources=build_resources(),
)
