"""The sensors carry a late file into the later days: landing_sensor runs the day, whose run
rebuilds the later partitions that read it; late_data_sensor then has nothing left to do."""

from __future__ import annotations

from datetime import date

import dagster as dg
import pytest

from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.late_data import DEPENDENT_KEYS
from ecom_analytics.orchestration.late_runs import (
    LATE_DEPENDENTS_JOB,
    SNAPSHOT_KEY,
    late_data_sensor,
)
from ecom_analytics.orchestration.sensors import landing_sensor
from ecom_analytics_tests.dbt.warehouse import query

from .scenario import PRODUCT, event, land, materialize, pointed_at

# Replays whole pipelines many times: `make test-long` (CI runs it after `make test`).
pytestmark = pytest.mark.long

DAY_1, DAY_2, DAY_3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)


def execute(request: dg.RunRequest, instance: dg.DagsterInstance) -> None:
    from ecom_analytics.definitions import defs

    # The landing sensor targets the pipeline job alone, so its requests name no job.
    job = defs.resolve_job_def(request.job_name or PIPELINE_JOB)
    tags = dict(request.tags)
    result = job.execute_in_process(
        instance=instance, tags=tags, partition_key=request.partition_key, raise_on_error=False
    )
    assert result.success


def test_a_late_file_is_carried_into_the_later_partitions(tmp_path):
    data = tmp_path / "data"
    land(data, "products", DAY_1, "p.jsonl", [PRODUCT])
    land(data, "events", DAY_1, "a.jsonl", [event("e1", DAY_1, "09:00", "u1")])
    land(data, "events", DAY_2, "a.jsonl", [event("e2", DAY_2, "09:00", "u1")])
    land(data, "events", DAY_3, "a.jsonl", [event("e3", DAY_3, "09:00", "u2")])
    warehouse = data / "warehouse.duckdb"
    with pointed_at(data), dg.instance_for_test() as instance:
        materialize(instance, DAY_1, DAY_3)
        landing = landing_sensor(dg.build_sensor_context(instance=instance))
        late = late_data_sensor(dg.build_sensor_context(instance=instance))
        assert landing.run_requests == []
        # The first build reached the last day: nothing later to rebuild.
        assert late.run_requests == []

        # u3 lands late on day 1 (and is seen nowhere else).
        land(data, "events", DAY_1, "late.jsonl", [event("l1", DAY_1, "12:00", "u3")])
        landing = landing_sensor(dg.build_sensor_context(instance=instance, cursor=landing.cursor))
        assert [r.partition_key for r in landing.run_requests] == ["2024-01-01"]
        execute(landing.run_requests[0], instance)

        late = late_data_sensor(dg.build_sensor_context(instance=instance, cursor=late.cursor))

        latest = instance.fetch_materializations(
            dg.AssetRecordsFilter(
                asset_key=dg.AssetKey(["marts", "fct_daily_engagement"]),
                asset_partitions=["2024-01-03"],
            ),
            limit=1,
        ).records[0]
        rebuilt_by = instance.get_run_by_id(latest.run_id)
    # No later day's ingestion changed, and the day's own run rebuilt the dependents over
    # days 2-3: the sensor has nothing to request.
    assert isinstance(late, dg.SensorResult) and late.run_requests == []
    # Day 3's engagement was last written by the landing sensor's run of day 1.
    assert rebuilt_by.job_name == PIPELINE_JOB
    assert rebuilt_by.tags["dagster/partition"] == "2024-01-01"
    # Day 2: u1 today; u1 and u3 in the week (days 1-2): WAU 2 where it was 1.
    # Day 3: u2 today; u1, u3 (day 1) and u2 in the week: WAU 3, MAU 3 where they were 2.
    assert query(
        warehouse,
        "select activity_date, daily_active_users, weekly_active_users, monthly_active_users "
        "from marts.fct_daily_engagement order by 1",
    ) == [(DAY_1, 2, 2, 2), (DAY_2, 1, 2, 2), (DAY_3, 1, 3, 3)]


def test_a_re_run_that_left_the_dependents_out_is_followed_by_their_run(tmp_path):
    from ecom_analytics.definitions import defs

    data = tmp_path / "data"
    land(data, "products", DAY_1, "p.jsonl", [PRODUCT])
    land(data, "events", DAY_1, "a.jsonl", [event("e1", DAY_1, "09:00", "u1")])
    land(data, "events", DAY_2, "a.jsonl", [event("e2", DAY_2, "09:00", "u1")])
    land(data, "events", DAY_3, "a.jsonl", [event("e3", DAY_3, "09:00", "u2")])
    warehouse = data / "warehouse.duckdb"
    pipeline = defs.resolve_job_def(PIPELINE_JOB)
    with pointed_at(data), dg.instance_for_test() as instance:
        materialize(instance, DAY_1, DAY_3)
        late = late_data_sensor(dg.build_sensor_context(instance=instance))

        # u3 lands late on day 1, which is re-run from the UI without the dependent models.
        land(data, "events", DAY_1, "late.jsonl", [event("l1", DAY_1, "12:00", "u3")])
        left_out = {*DEPENDENT_KEYS, SNAPSHOT_KEY}
        subset = [key for key in pipeline.asset_layer.executable_asset_keys if key not in left_out]
        partial = pipeline.execute_in_process(
            instance=instance, partition_key=DAY_1.isoformat(), asset_selection=subset
        )
        assert partial.success

        late = late_data_sensor(dg.build_sensor_context(instance=instance, cursor=late.cursor))
        assert [
            (
                r.job_name,
                r.tags.get("dagster/asset_partition_range_start"),
                r.tags.get("dagster/asset_partition_range_end"),
            )
            for r in late.run_requests
        ] == [(LATE_DEPENDENTS_JOB, "2024-01-01", "2024-01-03")]
        execute(late.run_requests[0], instance)
    # The same marts as the whole re-run of day 1 gives (the test above).
    assert query(
        warehouse,
        "select activity_date, daily_active_users, weekly_active_users, monthly_active_users "
        "from marts.fct_daily_engagement order by 1",
    ) == [(DAY_1, 2, 2, 2), (DAY_2, 1, 2, 2), (DAY_3, 1, 3, 3)]
