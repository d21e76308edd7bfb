"""materialize_range's report and the days a graph has carried all the way through."""

from datetime import date

import dagster as dg

from ecom_analytics.jobs import INGEST_JOB, MARTS_JOB
from ecom_analytics.materialize import materialize_range, materialized_days
from ecom_analytics.partitions import daily_partitions

DAY = date(2024, 1, 2)


@dg.asset(partitions_def=daily_partitions, group_name="raw")
def landed() -> int:
    return 1


@dg.asset(partitions_def=daily_partitions, group_name="marts", deps=[landed])
def summed() -> None:
    raise ValueError("the summing machine is broken")


def small_defs(*assets: dg.AssetsDefinition) -> dg.Definitions:
    return dg.Definitions(
        assets=list(assets),
        jobs=[
            dg.define_asset_job(INGEST_JOB, selection=dg.AssetSelection.groups("raw")),
            dg.define_asset_job(MARTS_JOB, selection=dg.AssetSelection.groups("marts")),
        ],
    )


def test_a_failed_run_is_reported_with_its_step_and_error():
    lines: list[str] = []
    with dg.instance_for_test() as instance:
        report = materialize_range(small_defs(landed, summed), DAY, DAY, instance, lines.append)

    assert not report.success
    assert lines[0].startswith("[1/1] ingest 2024-01-02: ok (run ")
    assert lines[1].startswith("marts 2024-01-02..2024-01-02: FAILED (run ")
    assert "failed steps: summed: ValueError: the summing machine is broken" in lines[1]


def test_materialized_days_are_those_the_last_assets_reached():
    defs = small_defs(landed, summed)
    with dg.instance_for_test() as instance:
        dg.materialize([landed], partition_key="2024-01-02", instance=instance)
        only_first = materialized_days(defs, instance)
        instance.report_runless_asset_event(
            dg.AssetMaterialization(asset_key="summed", partition="2024-01-02")
        )
        both = materialized_days(defs, instance)

    assert only_first == set()
    assert both == {"2024-01-02"}
