"""The whole product on PostgreSQL: `ecom-analytics materialize` with `ECOM_WAREHOUSE=postgres`
over the hand-made dataset's three days, with the Dagster instance itself stored in
PostgreSQL (deploy/dagster.postgres.yaml); then the UI's backfill of every asset over the same
days, through a `dagster dev` on that instance, rebuilding them without duplicating a row.

Expected figures are those worked out by hand in ecom_analytics_tests/dbt/test_dbt_metrics.py.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg
import pytest

from ecom_analytics import settings
from ecom_analytics.engines.postgres_engine import PostgresWarehouse
from ecom_analytics_tests.dbt import dataset
from ecom_analytics_tests.dbt.landing import QUARANTINE_RATES, write_landing_zone
from ecom_analytics_tests.e2e.dagster_server import checkout_env, dagster_dev, run_cli
from ecom_analytics_tests.e2e.test_dagster_ui_flows import (
    launch_backfill,
    materializable_assets,
    wait_for_backfill,
)

from .builds import postgres_env

# A materialize and a UI backfill through `dagster dev`, minutes: `make test-long`. The
# comparison of every mart with DuckDB's stays in `make test`
# (test_same_marts_on_every_engine.py).
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.long]

POSTGRES_INSTANCE_CONFIG = settings.PROJECT_ROOT / "deploy" / "dagster.postgres.yaml"
DAYS = [day.isoformat() for day in dataset.DAYS]
# activity_date -> (DAU, WAU, MAU, new users, sessions, orders, revenue), by hand from
# dataset.py (see test_dbt_metrics.py for the working).
DAILY_ENGAGEMENT = {
    dataset.DAY_1: (3, 3, 3, 3, 4, 1, Decimal("40.00")),
    dataset.DAY_2: (3, 3, 3, 0, 3, 2, Decimal("56.00")),
    dataset.DAY_3: (2, 4, 4, 1, 2, 1, Decimal("30.00")),
}
ENGAGEMENT_SQL = (
    "select activity_date, daily_active_users, weekly_active_users, monthly_active_users,"
    " new_users, sessions, orders, revenue from marts.fct_daily_engagement order by 1"
)


@dataclass
class Deployment:
    root: Path
    env: dict[str, str]
    warehouse: PostgresWarehouse
    dagster_dsn: str
    materialize: subprocess.CompletedProcess

    @property
    def data_dir(self) -> Path:
        return Path(self.env["ECOM_DATA_DIR"])

    def engagement(self) -> dict:
        rows = self.warehouse.query(ENGAGEMENT_SQL).rows()
        return {row[0]: tuple(row[1:]) for row in rows}


@pytest.fixture(scope="module")
def deployment(postgres_server, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    root = tmp_path_factory.mktemp("postgres_pipeline")
    data_dir, home = root / "data", root / "dagster_home"
    home.mkdir()
    write_landing_zone(data_dir)
    shutil.copy(POSTGRES_INSTANCE_CONFIG, home / "dagster.yaml")
    postgres_server.create_database("warehouse")
    postgres_server.create_database("dagster")
    env = checkout_env(
        data_dir,
        home,
        {
            **postgres_env(postgres_server, "warehouse"),
            "ECOM_START_DATE": dataset.DAY_1.isoformat(),
            **QUARANTINE_RATES,
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(postgres_server.port),
            "DAGSTER_PG_USER": "postgres",
            # The test server trusts local connections; the variable must still be set.
            "DAGSTER_PG_PASSWORD": "unused",
            "DAGSTER_PG_DB": "dagster",
        },
    )
    result = run_cli(["materialize", "--start", DAYS[0], "--end", DAYS[-1]], env, root)
    warehouse = PostgresWarehouse(
        host="127.0.0.1", port=postgres_server.port, user="postgres", dbname="warehouse"
    )
    return Deployment(root, env, warehouse, postgres_server.dsn("dagster"), result)


def test_materialize_on_postgres_builds_the_hand_checked_marts(deployment: Deployment) -> None:
    result = deployment.materialize
    assert result.returncode == 0, result.stdout + result.stderr

    assert deployment.engagement() == DAILY_ENGAGEMENT
    # Every record landed is in raw, and the validated ones are in validated.
    events = deployment.warehouse.query(
        "select partition_date, count(*) as n from validated.events group by 1 order by 1"
    ).rows()
    assert [n for _, n in events] == [
        sum(1 for e in dataset.EVENTS if e["partition_date"] == day) for day in dataset.DAYS
    ]
    # Nothing went to DuckDB: the warehouse is on the server.
    assert not (deployment.data_dir / settings.WAREHOUSE_FILE_NAME).exists()


def test_the_dashboard_snapshot_is_a_duckdb_copy_of_the_postgres_marts(
    deployment: Deployment,
) -> None:
    snapshot = deployment.data_dir / settings.DASHBOARD_SNAPSHOT_NAME
    with duckdb.connect(str(snapshot), read_only=True) as connection:
        rows = connection.execute(ENGAGEMENT_SQL).fetchall()
        tables = {
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
    assert {row[0]: tuple(row[1:]) for row in rows} == DAILY_ENGAGEMENT
    assert {"fct_sessions", "fct_orders", "fct_funnel", "dim_products"} <= tables


def test_the_run_is_recorded_in_the_postgres_instance_storage(deployment: Deployment) -> None:
    with psycopg.connect(deployment.dagster_dsn) as connection:
        statuses = [status for (status,) in connection.execute("select status from runs")]
    assert statuses and set(statuses) == {"SUCCESS"}
    assert not (Path(deployment.env["DAGSTER_HOME"]) / "history").exists()  # no SQLite storage


def test_a_ui_backfill_over_the_days_rebuilds_them_without_duplicates(
    deployment: Deployment,
) -> None:
    with dagster_dev(deployment.env, deployment.root / "dagster-dev.log") as server:
        assets = materializable_assets(server)
        backfill = wait_for_backfill(server, launch_backfill(server, assets, DAYS), timeout=900)

    assert backfill["status"] == "COMPLETED_SUCCESS", (backfill, server.log_tail())
    assert backfill["runs"] and all(run["status"] == "SUCCESS" for run in backfill["runs"])
    assert deployment.engagement() == DAILY_ENGAGEMENT
