"""The whole pipeline on Apache Spark (`ECOM_WAREHOUSE=spark`, local mode), end to end.

The hand-made dataset (ecom_analytics_tests/dbt/dataset.py) lands as files and
`ecom-analytics materialize` over its three days (one Dagster run) writes the validated days as
Parquet, builds the dbt models with Spark (their tests as blocking checks) and publishes the
dashboard snapshot from Spark's marts. Spark starts once for this module: the same build
serves the comparison with DuckDB's marts and the checks of the outputs.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ecom_analytics import settings, tables
from ecom_analytics.engines import Warehouse, spark_lake
from ecom_analytics.engines.spark_engine import SparkWarehouse
from ecom_analytics.tables import MARTS_SCHEMA
from ecom_analytics_tests.dbt import dataset
from ecom_analytics_tests.dbt.landing import QUARANTINE_RATES, write_landing_zone
from ecom_analytics_tests.e2e.dagster_server import checkout_env, run_cli

from .test_same_marts_on_every_engine import comparable_rows, duckdb_marts, mart_tables

pytestmark = [pytest.mark.spark, pytest.mark.slow]

__all__ = ["duckdb_marts"]  # the DuckDB build, a fixture shared with the engine comparison


@dataclass
class SparkRun:
    data_dir: Path
    spark_dir: Path
    warehouse: Warehouse
    materialize: subprocess.CompletedProcess


def require_spark() -> None:
    """Skip, saying what is missing, where Spark cannot start."""
    if shutil.which("java") is None:
        pytest.skip("no Java on PATH: Spark 4 needs Java 17 or later (apt-get install openjdk-17)")
    for module in ("pyspark", "dbt.adapters.spark"):
        pytest.importorskip(module, reason=f"{module} is not installed (pip install -e .)")


def spark_env(data_dir: Path, home: Path) -> dict[str, str]:
    """A child process's environment for Spark runs over the dataset landed in `data_dir`."""
    return checkout_env(
        data_dir,
        home,
        {
            settings.ENGINE_ENV: "spark",
            "ECOM_START_DATE": dataset.DAY_1.isoformat(),
            # A few dozen rows: one shuffle partition is plenty.
            "ECOM_SPARK_SHUFFLE_PARTITIONS": "1",
            **QUARANTINE_RATES,
        },
    )


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory: pytest.TempPathFactory) -> SparkRun:
    """`ecom-analytics materialize` over the dataset's days with ECOM_WAREHOUSE=spark."""
    require_spark()
    root = tmp_path_factory.mktemp("spark_pipeline")
    data_dir, home = root / "data", root / "dagster_home"
    home.mkdir()
    write_landing_zone(data_dir)
    days = [dataset.DAY_1.isoformat(), dataset.DAY_3.isoformat()]
    args = ["materialize", "--start", days[0], "--end", days[1]]
    result = run_cli(args, spark_env(data_dir, home), root)
    spark_dir = data_dir / "spark"
    return SparkRun(data_dir, spark_dir, SparkWarehouse(root=str(spark_dir)), result)


def test_materialize_on_spark_succeeds_with_every_check_passing(spark_run: SparkRun) -> None:
    result = spark_run.materialize
    assert result.returncode == 0, result.stdout + result.stderr
    # Nothing went to DuckDB: the warehouse is Spark's.
    assert not (spark_run.data_dir / settings.WAREHOUSE_FILE_NAME).exists()


def test_validated_days_land_as_one_parquet_file_per_day(spark_run: SparkRun) -> None:
    for table in (tables.VALIDATED_EVENTS, tables.QUARANTINE):
        assert spark_lake.days_on_disk(table, spark_run.spark_dir) == list(dataset.DAYS)
        folder = spark_lake.table_dir(table, spark_run.spark_dir)
        # Nothing but the day folders' files: no scratch file left behind.
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        assert files == [f"partition_date={day}/part-0.parquet" for day in dataset.DAYS]
    # Every valid event of dataset.py, by day; the bad records went to quarantine.
    counts = spark_run.warehouse.query(
        "select partition_date, count(*) as n from validated.events"
        " group by partition_date order by partition_date"
    ).rows()
    assert counts == [(dataset.DAY_1, 14), (dataset.DAY_2, 11), (dataset.DAY_3, 4)]


def test_daily_engagement_on_spark_has_the_hand_worked_values(spark_run: SparkRun) -> None:
    rows = spark_run.warehouse.query(
        "select activity_date, daily_active_users, weekly_active_users, monthly_active_users,"
        " sessions, orders, revenue, refunded_revenue, net_revenue"
        " from marts.fct_daily_engagement order by activity_date"
    ).rows()
    assert rows == [
        # u1, u2, u3; sessions s1, u2#1, u2#2, s3; order o1 = 2 x 10 + 1 x 20.
        (dataset.DAY_1, 3, 3, 3, 4, 1, Decimal("40.00"), Decimal("0.00"), Decimal("40.00")),
        # u1, u2, u3; s3 after midnight, s4, u2#1; o2 = 20 and o3 = 3 x 12.
        (dataset.DAY_2, 3, 3, 3, 3, 2, Decimal("56.00"), Decimal("0.00"), Decimal("56.00")),
        # u1 and the new u4 (WAU = MAU = all four); o4 = 30, e163 refunds one p1 at 10.
        (dataset.DAY_3, 2, 4, 4, 2, 1, Decimal("30.00"), Decimal("10.00"), Decimal("20.00")),
    ]


def test_every_mart_on_spark_is_identical_to_duckdbs(
    spark_run: SparkRun, duckdb_marts: Warehouse
) -> None:
    names = mart_tables(duckdb_marts)
    assert "fct_daily_engagement" in names and len(names) >= 11
    assert mart_tables(spark_run.warehouse) == names
    for name in names:
        expected = duckdb_marts.query(f"select * from {MARTS_SCHEMA}.{name}")
        actual = spark_run.warehouse.query(f"select * from {MARTS_SCHEMA}.{name}")
        assert dict(sorted(actual.schema.items())) == dict(sorted(expected.schema.items())), name
        assert comparable_rows(actual) == comparable_rows(expected), name


def test_dashboard_snapshot_is_published_from_sparks_marts(spark_run: SparkRun) -> None:
    snapshot = spark_run.data_dir / settings.DASHBOARD_SNAPSHOT_NAME
    with duckdb.connect(str(snapshot), read_only=True) as connection:
        revenue = connection.execute(
            "select activity_date, net_revenue from marts.fct_daily_engagement"
            " order by activity_date"
        ).fetchall()
        published = connection.execute("select count(*) from meta.materializations").fetchall()
    assert revenue == [
        (dataset.DAY_1, Decimal("40.00")),
        (dataset.DAY_2, Decimal("56.00")),
        (dataset.DAY_3, Decimal("20.00")),
    ]
    assert published[0][0] > 0
    # Spark's JVM logs to its own file, never onto the output Dagster reads dbt's events from.
    assert (spark_run.spark_dir / "logs" / "spark.log").exists()
