"""One `dagster dev` (webserver + daemon) over a private landing zone, warehouse and Dagster
home, shared by the end-to-end tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecom_analytics import settings
from ecom_analytics.orchestration.instance import INSTANCE_CONFIG
from ecom_analytics_tests.e2e.dagster_server import (
    FIRST_DAY,
    DagsterServer,
    checkout_env,
    dagster_dev,
)


@pytest.fixture(scope="module")
def dagster_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterServer]:
    """`dagster dev` over a fresh data dir whose partitions start on FIRST_DAY."""
    root = tmp_path_factory.mktemp("dagster_e2e")
    home, data_dir = root / "dagster_home", root / "data"
    home.mkdir()
    data_dir.mkdir()
    # The product's instance settings, with the DuckDB writer pool limited to one.
    (home / "dagster.yaml").write_text(INSTANCE_CONFIG.read_text())
    env = checkout_env(
        data_dir,
        home,
        {
            "ECOM_DUCKDB_PATH": str(data_dir / settings.WAREHOUSE_FILE_NAME),
            "ECOM_START_DATE": FIRST_DAY.isoformat(),
            "ECOM_SENSOR_INTERVAL_SECONDS": "5",
        },
    )
    with dagster_dev(env, root / "dagster-dev.log") as server:
        yield server
