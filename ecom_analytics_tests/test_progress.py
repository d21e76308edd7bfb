"""materialize prints a line per finished step with its check outcomes."""

from datetime import date

import dagster as dg

from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.runs.materialize import materialize_range

DAY = date(2024, 1, 2)


@dg.asset(partitions_def=daily_partitions, backfill_policy=dg.BackfillPolicy.single_run())
def counted() -> None:
    pass


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec("counts_are_positive", asset=counted),
        dg.AssetCheckSpec("counts_are_usual", asset=counted),
        dg.AssetCheckSpec("counts_are_even", asset=counted),
    ]
)
def counted_checks():
    yield dg.AssetCheckResult(check_name="counts_are_positive", asset_key=counted.key, passed=True)
    yield dg.AssetCheckResult(
        check_name="counts_are_usual",
        asset_key=counted.key,
        passed=False,
        severity=dg.AssetCheckSeverity.WARN,
    )
    yield dg.AssetCheckResult(check_name="counts_are_even", asset_key=counted.key, passed=True)


def test_materialize_prints_each_step_and_its_check_outcomes(capsys):
    defs = dg.Definitions(
        assets=[counted],
        asset_checks=[counted_checks],
        jobs=[dg.define_asset_job(PIPELINE_JOB, selection=dg.AssetSelection.all())],
    )
    with dg.instance_for_test() as instance:
        report = materialize_range(defs, DAY, DAY, instance)

    assert report.success
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("step ")]
    assert [line.split(":")[0] for line in lines] == ["step counted", "step counted_checks"]
    assert lines[0].startswith("step counted: done in ")
    # Two of the three checks passed, one warned.
    assert lines[1].endswith("; checks: 2 passed, 1 warned")
