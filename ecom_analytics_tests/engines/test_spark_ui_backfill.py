"""A backfill launched the way the Dagster UI launches it, on Apache Spark.

`dagster dev` serves the code location with `ECOM_WAREHOUSE=spark`; the GraphQL mutation the
UI's "Materialize all" over a partition range sends backfills every asset over the hand-made
dataset's three days. The backfill must succeed and the marts hold the hand-worked values
(ecom_analytics_tests/dbt/dataset.py; the working is in test_dbt_metrics.py).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecom_analytics import settings
from ecom_analytics.engines.spark_engine import SparkWarehouse
from ecom_analytics.orchestration.instance import INSTANCE_CONFIG
from ecom_analytics_tests.dbt import dataset
from ecom_analytics_tests.dbt.landing import write_landing_zone
from ecom_analytics_tests.e2e.dagster_server import dagster_dev
from ecom_analytics_tests.e2e.test_dagster_ui_flows import (
    launch_backfill,
    materializable_assets,
    run_failures,
    wait_for_backfill,
)

from .test_spark_pipeline import require_spark, spark_env

# `dagster dev` and Spark builds in its runs: minutes, `make test-long`.
pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.long]

DAYS = [day.isoformat() for day in dataset.DAYS]
# Each run starts a JVM, and the backfill runs the models that read earlier days in a run of
# their own (docs/runbook.md): far longer than on DuckDB.
SPARK_BACKFILL_TIMEOUT = 1500
# activity_date -> (DAU, WAU, MAU, sessions, orders, revenue), by hand from dataset.py.
DAILY_ENGAGEMENT = [
    (dataset.DAY_1, 3, 3, 3, 4, 1, Decimal("40.00")),
    (dataset.DAY_2, 3, 3, 3, 3, 2, Decimal("56.00")),
    (dataset.DAY_3, 2, 4, 4, 2, 1, Decimal("30.00")),
]


def test_a_ui_backfill_of_every_asset_on_spark_builds_the_hand_checked_marts(tmp_path) -> None:
    require_spark()
    data_dir, home = tmp_path / "data", tmp_path / "dagster_home"
    home.mkdir()
    # The product's instance settings: one slot in the writer pool, so the runs Dagster
    # starts side by side (the later days of models that read earlier days) build one at a
    # time; two Spark sessions would contend for the one embedded metastore.
    (home / "dagster.yaml").write_text(INSTANCE_CONFIG.read_text())
    write_landing_zone(data_dir)
    with dagster_dev(spark_env(data_dir, home), tmp_path / "dagster-dev.log") as server:
        assets = materializable_assets(server)
        backfill_id = launch_backfill(server, assets, DAYS)
        backfill = wait_for_backfill(server, backfill_id, SPARK_BACKFILL_TIMEOUT)
        failures = run_failures(server, backfill)

    assert backfill["status"] == "COMPLETED_SUCCESS", (backfill, failures, server.log_tail())
    assert backfill["runs"] and all(run["status"] == "SUCCESS" for run in backfill["runs"])
    warehouse = SparkWarehouse(root=str(data_dir / "spark"))
    rows = warehouse.query(
        "select activity_date, daily_active_users, weekly_active_users, monthly_active_users,"
        " sessions, orders, revenue from marts.fct_daily_engagement order by activity_date"
    ).rows()
    assert rows == DAILY_ENGAGEMENT
    # Nothing went to DuckDB: the warehouse is Spark's folder.
    assert not (data_dir / settings.WAREHOUSE_FILE_NAME).exists()
