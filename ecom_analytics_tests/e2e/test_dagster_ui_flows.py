"""The UI's flows against a running `dagster dev`, through the GraphQL API the UI itself uses:
a backfill of every asset over a few days, and the landing sensor picking up new files."""

from __future__ import annotations

import time
from datetime import date, timedelta

import dagster as dg
import duckdb
import pytest
from dagster import DagsterRunStatus
from dagster_graphql import DagsterGraphQLClient

from ecom_analytics.definitions import defs
from ecom_analytics.orchestration.late_data import READS_EARLIER_DAYS
from ecom_analytics_tests.e2e.dagster_server import FIRST_DAY, TODAY, DagsterServer
from ecom_analytics_tests.e2e.graphql import (
    ASSETS_QUERY,
    BACKFILL_STATUS,
    LAUNCH_BACKFILL,
    RUN_FAILURES,
    SENSOR_RUNS,
    START_SENSOR,
)

pytestmark = pytest.mark.slow

BACKFILL_TIMEOUT = 360
SENSOR_RUN_TIMEOUT = 180
POLL_SECONDS = 2

BACKFILL_DAYS = {FIRST_DAY + timedelta(days=i): 6 + i for i in range(3)}  # day -> events
SENSOR_DAY, SENSOR_DAY_EVENTS = TODAY - timedelta(days=1), 7
DAILY_MART = ("marts", "fct_daily_engagement")
# Models whose day reads earlier days (late_data.READS_EARLIER_DAYS), and every asset below
# them: the backfill may also rebuild their later partitions up to the last one (yesterday),
# since those read the backfilled days. Yesterday has no events yet, so it gets no rows.
READ_LATER = sorted(
    list(key.path)
    for key in dg.AssetSelection.assets(
        *(dg.AssetKey(["marts", child]) for child, _ in READS_EARLIER_DAYS)
    )
    .downstream()
    .resolve(defs.resolve_asset_graph())
)
FAILURE_EVENTS = {"ExecutionStepFailureEvent", "RunFailureEvent", "PythonError", "RunNotFoundError"}
BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def materializable_assets(server: DagsterServer) -> list[list[str]]:
    """Every asset the UI's "Materialize all" would select (landing files are external)."""
    selector = {"repositoryLocationName": server.location, "repositoryName": server.repository}
    repository = server.graphql(ASSETS_QUERY, {"selector": selector})["repositoryOrError"]
    assert "assetNodes" in repository, repository
    return sorted(n["assetKey"]["path"] for n in repository["assetNodes"] if n["isMaterializable"])


def launch_backfill(
    server: DagsterServer, assets: list[list[str]], days: list[str], title: str | None = None
) -> str:
    """Launch a backfill of `assets` over `days` (ISO dates) as the UI does; its id."""
    params = {"assetSelection": [{"path": path} for path in assets], "partitionNames": days}
    if title:
        params["title"] = title
    launched = server.graphql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    return launched["backfillId"]


def wait_for_backfill(
    server: DagsterServer, backfill_id: str, timeout: float = BACKFILL_TIMEOUT
) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        backfill = server.graphql(BACKFILL_STATUS, {"id": backfill_id})
        backfill = backfill["partitionBackfillOrError"]
        assert backfill["__typename"] == "PartitionBackfill", backfill
        if backfill["status"] in BACKFILL_DONE:
            return backfill
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"backfill not done in {timeout} s:\n{server.log_tail()}")


def run_failures(server: DagsterServer, backfill: dict) -> list[str]:
    """What each failed run of a backfill says about its failure: step errors, the run's
    own failure message, and engine errors (a run worker that died or was timed out)."""
    found = []
    for run in backfill["runs"]:
        if run["status"] == "SUCCESS":
            continue
        logs = server.graphql(RUN_FAILURES, {"runId": run["runId"]})["logsForRun"]
        for event in logs.get("events", [logs]):
            error = (event.get("error") or {}).get("message")
            if error or event.get("__typename") in FAILURE_EVENTS:
                message = error or event.get("message")
                found.append(f"{run['runId'][:8]} {event.get('stepKey', '')}: {message}")
    return found


def warehouse_rows(server: DagsterServer, sql: str) -> list[tuple]:
    with duckdb.connect(str(server.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def events_per_day(server: DagsterServer, days: list[date]) -> dict[date, int]:
    rows = warehouse_rows(
        server,
        "select partition_date, count(*) from validated.events group by 1 order by 1",
    )
    return {day: count for day, count in rows if day in days}


def daily_mart_rows(server: DagsterServer, days: list[date]) -> dict[date, int]:
    """Rows of marts.fct_daily_engagement (one per activity_date) on each of `days`."""
    rows = warehouse_rows(
        server,
        "select activity_date, count(*) from marts.fct_daily_engagement group by 1 order by 1",
    )
    return {day: count for day, count in rows if day in days}


def test_backfill_of_every_asset_over_three_days_succeeds(dagster_server: DagsterServer):
    for day, events in BACKFILL_DAYS.items():
        dagster_server.write_day(day, events)
    assets = materializable_assets(dagster_server)
    days = sorted(BACKFILL_DAYS)

    backfill_id = launch_backfill(
        dagster_server, assets, [day.isoformat() for day in days], title="end-to-end backfill"
    )
    backfill = wait_for_backfill(dagster_server, backfill_id)

    failed = [run for run in backfill["runs"] if run["status"] != "SUCCESS"]
    assert backfill["status"] == "COMPLETED_SUCCESS", (
        backfill,
        run_failures(dagster_server, backfill),
        dagster_server.log_tail(),
    )
    assert backfill["runs"] and not failed
    statuses = backfill["assetBackfillData"]["assetBackfillStatuses"]
    assert sorted(s["assetKey"]["path"] for s in statuses) == assets
    for status in statuses:
        if "materialized" in status:  # an unpartitioned asset: built once
            assert status["materialized"], status
            continue
        if status["assetKey"]["path"] in READ_LATER:
            assert status["numPartitionsTargeted"] in (len(days), len(days) + 1), status
        else:
            assert status["numPartitionsTargeted"] == len(days), status
        assert status["numPartitionsMaterialized"] == status["numPartitionsTargeted"], status

    assert events_per_day(dagster_server, days) == BACKFILL_DAYS
    if list(DAILY_MART) in assets:
        yesterday = TODAY - timedelta(days=1)
        assert daily_mart_rows(dagster_server, [*days, yesterday]) == {day: 1 for day in days}


def test_landing_sensor_runs_the_partition_whose_files_arrive(dagster_server: DagsterServer):
    selector = {
        "repositoryLocationName": dagster_server.location,
        "repositoryName": dagster_server.repository,
        "sensorName": "landing_sensor",
    }
    started = dagster_server.graphql(START_SENSOR, {"selector": selector})["startSensor"]
    assert started["__typename"] == "Sensor", started
    assert started["sensorState"]["status"] == "RUNNING"

    dagster_server.write_day(SENSOR_DAY, SENSOR_DAY_EVENTS)
    run_id = wait_for_sensor_run(dagster_server, SENSOR_DAY)
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_server.port)
    status = wait_for_run(client, run_id)

    assert status == DagsterRunStatus.SUCCESS, dagster_server.log_tail()
    assert events_per_day(dagster_server, [SENSOR_DAY]) == {SENSOR_DAY: SENSOR_DAY_EVENTS}
    if list(DAILY_MART) in materializable_assets(dagster_server):
        assert daily_mart_rows(dagster_server, [SENSOR_DAY]) == {SENSOR_DAY: 1}
    # Days the backfill already ingested are not run again: their files are not new.
    for day in BACKFILL_DAYS:
        assert sensor_runs(dagster_server, day) == [], day


def sensor_runs(server: DagsterServer, day: date) -> list[dict]:
    """Runs the landing sensor launched for `day`'s partition, newest first."""
    run_filter = {
        "tags": [
            {"key": "dagster/partition", "value": day.isoformat()},
            {"key": "dagster/sensor_name", "value": "landing_sensor"},
        ]
    }
    return server.graphql(SENSOR_RUNS, {"filter": run_filter})["runsOrError"]["results"]


def wait_for_sensor_run(server: DagsterServer, day: date) -> str:
    """The id of the first run the landing sensor launched for `day`'s partition."""
    deadline = time.monotonic() + SENSOR_RUN_TIMEOUT
    while time.monotonic() < deadline:
        runs = sensor_runs(server, day)
        if runs:
            return runs[-1]["runId"]
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"no sensor run for {day} in {SENSOR_RUN_TIMEOUT} s:\n{server.log_tail()}")


def wait_for_run(client: DagsterGraphQLClient, run_id: str) -> DagsterRunStatus:
    finished = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
    deadline = time.monotonic() + SENSOR_RUN_TIMEOUT
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id)
        if status in finished:
            return status
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"run {run_id} not finished in {SENSOR_RUN_TIMEOUT} s")
