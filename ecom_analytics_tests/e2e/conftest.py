"""One `dagster dev` (webserver + daemon) over a private landing zone, warehouse and Dagster
home, shared by the end-to-end tests of this folder."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ecom_analytics import settings
from ecom_analytics.cli import services
from ecom_analytics.orchestration.instance import INSTANCE_CONFIG
from ecom_analytics.project import ensure_manifest
from ecom_analytics_tests.e2e.dagster_server import (
    FIRST_DAY,
    STARTUP_TIMEOUT,
    DagsterServer,
    wait_for_location,
)


@pytest.fixture(scope="module")
def dagster_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterServer]:
    root = tmp_path_factory.mktemp("dagster_e2e")
    home, data_dir = root / "dagster_home", root / "data"
    home.mkdir()
    data_dir.mkdir()
    # The product's instance settings, with the DuckDB writer pool limited to one.
    (home / "dagster.yaml").write_text(INSTANCE_CONFIG.read_text())
    # Nothing of the caller's own setup (its warehouse, snapshot or thresholds) leaks in.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("ECOM_")}
    env = {
        **inherited,
        "DAGSTER_HOME": str(home),
        "ECOM_DATA_DIR": str(data_dir),
        "ECOM_DUCKDB_PATH": str(data_dir / settings.WAREHOUSE_FILE_NAME),
        "ECOM_START_DATE": FIRST_DAY.isoformat(),
        "ECOM_SENSOR_INTERVAL_SECONDS": "5",
        # This checkout's code, whatever else the environment has installed.
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(settings.PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    ensure_manifest()
    port = services.free_port()
    server = DagsterServer(
        url=f"http://{services.LOCALHOST}:{port}",
        port=port,
        data_dir=data_dir,
        warehouse=data_dir / settings.WAREHOUSE_FILE_NAME,
        log=root / "dagster-dev.log",
    )
    with server.log.open("ab") as log:
        process = services.start(
            "dagster dev", services.dagster_dev_command(port), server.url, env=env, output=log
        )
    try:
        services.wait_until_up(process, "/server_info", timeout=STARTUP_TIMEOUT)
        wait_for_location(server, process)
        yield server
    finally:
        services.stop(process)
