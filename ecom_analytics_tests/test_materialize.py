"""materialize_range's report, and the days a graph has carried all the way through."""

from datetime import date

import dagster as dg

from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.runs.materialize import materialize_range, materialized_days

DAY = date(2024, 1, 2)


@dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run())
def landed() -> None:
    pass


@dg.asset(
    partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run(), deps=[landed]
)
def summed() -> None:
    raise ValueError("the summing machine is broken")


def small_defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[landed, summed],
        jobs=[dg.define_asset_job(PIPELINE_JOB, selection=dg.AssetSelection.all())],
    )


def test_a_failed_run_names_the_step_and_what_it_raised():
    with dg.instance_for_test() as instance:
        report = materialize_range(small_defs(), DAY, DAY, instance)

    assert not report.success
    assert report.failed_steps == ["summed: ValueError: the summing machine is broken"]
    assert "failed steps: summed: ValueError: the summing machine is broken" in report.summary()


def test_materialized_days_are_those_the_last_assets_reached():
    defs = small_defs()
    with dg.instance_for_test() as instance:
        dg.materialize([landed], partition_key="2024-01-02", instance=instance)
        only_first = materialized_days(defs, instance)
        instance.report_runless_asset_event(
            dg.AssetMaterialization(asset_key="summed", partition="2024-01-02")
        )
        both = materialized_days(defs, instance)

    assert only_first == set()
    assert both == {"2024-01-02"}
