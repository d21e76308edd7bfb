"""A backfill of every asset is accepted by the same GraphQL mutation the Dagster UI sends
(the code location is loaded out of process, as the webserver loads it), and the ingestion
step, subsettable only for that, still writes its tables all together."""

from datetime import UTC, datetime, timedelta

import dagster as dg
from dagster_graphql.test.utils import define_out_of_process_context, execute_dagster_graphql

from ecom_analytics.assets.ingestion import ingest_landing_files, landing_files
from ecom_analytics.cli.services import WORKSPACE_FILE
from ecom_analytics.orchestration.resources import build_resources
from ecom_analytics.project import ensure_manifest
from ecom_analytics_tests.e2e.graphql import LAUNCH_BACKFILL


def test_backfill_of_every_asset_over_a_range_is_accepted(workspace):
    # The code server inherits the workspace's environment: its warehouse folder is private.
    ensure_manifest()
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    days = [(yesterday - timedelta(days=i)).isoformat() for i in (2, 1, 0)]
    with (
        dg.instance_for_test() as instance,
        define_out_of_process_context(str(WORKSPACE_FILE), None, instance) as context,
    ):
        assets = sorted(key.path for key in context.asset_graph.materializable_asset_keys)
        result = execute_dagster_graphql(
            context,
            LAUNCH_BACKFILL,
            {"params": {"assetSelection": [{"path": p} for p in assets], "partitionNames": days}},
        )
        backfills = instance.get_backfills()

    assert result.data["launchPartitionBackfill"]["__typename"] == "LaunchBackfillSuccess", (
        result.data
    )
    [backfill] = backfills
    assert sorted(list(key.path) for key in backfill.asset_selection) == [list(p) for p in assets]
    assert sorted(backfill.asset_backfill_data.target_subset.asset_keys) == sorted(
        dg.AssetKey(p) for p in assets
    )


def test_ingesting_only_some_of_the_ingestion_tables_is_refused(workspace):
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [*landing_files, ingest_landing_files],
            selection=[dg.AssetKey(["raw", "events"])],
            partition_key="2024-01-02",
            resources=build_resources(),
            instance=instance,
            raise_on_error=False,
        )
        [failure] = result.get_step_failure_events()

    assert not result.success
    message = failure.step_failure_data.user_failure_data.description
    assert message.startswith("raw.*, validated.*, quality.quarantine and their checks")
    assert "validated/events" in message
    assert not workspace.warehouse.exists()  # nothing was written
