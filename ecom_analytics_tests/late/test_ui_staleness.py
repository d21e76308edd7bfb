"""A re-run day never leaves the later partitions that read it silently stale.

Days D..D+2 are built; a late file lands for D and only D is re-run through the pipeline job
(what a UI materialization of one partition does, with late_data_sensor off). That run
rebuilds the models that read earlier days over D+1..D+2 in its own dbt build, so Dagster's
staleness (the resolver the UI's asset pages use) shows them fresh, materialized by it. A
re-run of D that leaves those models out (a subset picked in the UI) marks their later
partitions stale, same-day models stay fresh, until `late_dependents` rebuilds them.
"""

from __future__ import annotations

from datetime import date

import dagster as dg
import pytest
from dagster._core.definitions.data_version import CachingStaleStatusResolver, StaleStatus
from dagster._core.loader import LoadingContextForTest

from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.late_data import DEPENDENT_MODELS
from ecom_analytics.orchestration.late_runs import LATE_DEPENDENTS_JOB, SNAPSHOT_KEY, range_tags

from .scenario import PRODUCT, days, event, land, materialize, pointed_at

# Three pipeline runs: `make test-long`.
pytestmark = pytest.mark.long

D = date(2024, 1, 1)
LATER = [day.isoformat() for day in days(D, 3)[1:]]
# Models whose day reads earlier days (late_data.READS_EARLIER_DAYS), and one that does not.
READS_EARLIER = [["marts", "fct_daily_engagement"], ["marts", "fct_sessions"]]
SAME_DAY = ["marts", "fct_funnel"]


def statuses(instance: dg.DagsterInstance, defs: dg.Definitions, key: list[str]) -> list:
    resolver = CachingStaleStatusResolver(
        instance, defs.resolve_asset_graph(), LoadingContextForTest(instance)
    )
    return [resolver.get_status(dg.AssetKey(key), day) for day in LATER]


def test_a_re_run_day_marks_later_partitions_stale_until_rebuilt(tmp_path):
    from ecom_analytics.definitions import defs

    data = tmp_path / "data"
    land(data, "products", D, "p.jsonl", [PRODUCT])
    for number, day in enumerate(days(D, 3)):
        land(data, "events", day, "a.jsonl", [event(f"e{number}", day, "09:00", "u1")])
    pipeline = defs.resolve_job_def(PIPELINE_JOB)
    with pointed_at(data), dg.instance_for_test() as instance:
        materialize(instance, D, date(2024, 1, 3))
        assert statuses(instance, defs, READS_EARLIER[0]) == [StaleStatus.FRESH] * 2

        land(data, "events", D, "late.jsonl", [event("late", D, "12:00", "u_new")])
        rerun = pipeline.execute_in_process(instance=instance, partition_key=D.isoformat())
        assert rerun.success
        for key in READS_EARLIER:
            assert statuses(instance, defs, key) == [StaleStatus.FRESH] * 2, key
            assert last_written_by(instance, key, LATER[-1]) == rerun.run_id

        land(data, "events", D, "later.jsonl", [event("later", D, "15:00", "u_newer")])
        left_out = {dg.AssetKey(key) for key in DEPENDENT_MODELS} | {SNAPSHOT_KEY}
        subset = [key for key in pipeline.asset_layer.executable_asset_keys if key not in left_out]
        partial = pipeline.execute_in_process(
            instance=instance, partition_key=D.isoformat(), asset_selection=subset
        )
        assert partial.success
        for key in READS_EARLIER:
            assert statuses(instance, defs, key) == [StaleStatus.STALE] * 2, key
        assert statuses(instance, defs, SAME_DAY) == [StaleStatus.FRESH] * 2

        rebuilt = defs.resolve_job_def(LATE_DEPENDENTS_JOB).execute_in_process(
            instance=instance, tags=range_tags(date(2024, 1, 2), date(2024, 1, 3))
        )
        assert rebuilt.success
        for key in READS_EARLIER:
            assert statuses(instance, defs, key) == [StaleStatus.FRESH] * 2, key


def last_written_by(instance: dg.DagsterInstance, key: list[str], day: str) -> str:
    """The run of the latest materialization of `key`'s partition `day`."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(key), asset_partitions=[day]), limit=1
    ).records
    return records[0].run_id
