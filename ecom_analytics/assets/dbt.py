"""dbt models as partitioned Dagster assets: staging, intermediate and marts, built in one run.

Every model is partitioned by UTC day. A run (one partition or a single-run backfill of a
range) passes its window to dbt in environment variables (half-open), and every
event- or day-grained model replaces exactly that window (see the `window_replace`
incremental strategy in dbt_project/macros). dbt tests arrive as asset checks.
"""

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from ecom_analytics import engines, settings
from ecom_analytics.assets.dbt_row_counts import with_daily_row_counts
from ecom_analytics.assets.dbt_test_descriptions import describe_test
from ecom_analytics.assets.dbt_window import build_window
from ecom_analytics.orchestration import late_data
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.project import (
    dbt_project,
    dbt_vars_args,
    ensure_manifest,
    export_dbt_environment,
)

# dbt folders, which are also the warehouse schemas and the Dagster groups.
DBT_LAYERS = ("staging", "intermediate", "marts")


class EcomDbtTranslator(DagsterDbtTranslator):
    """Asset keys `[schema, table]`, like the Python assets; groups follow the dbt layers."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # The Python assets that write validated.* and quality.* own these keys.
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_partition_mapping(
        self,
        dbt_resource_props: Mapping[str, Any],
        dbt_parent_resource_props: Mapping[str, Any],
    ) -> dg.PartitionMapping | None:
        """Days before D that day D of a model reads (late_data.READS_EARLIER_DAYS)."""
        mapping = late_data.partition_mapping(
            dbt_resource_props["name"], dbt_parent_resource_props["name"]
        )
        return mapping or super().get_partition_mapping(
            dbt_resource_props, dbt_parent_resource_props
        )

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 and fqn[1] in DBT_LAYERS else None

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """dbt tests as checks, each described from the test itself."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_test(manifest["nodes"][unique_id]))


dbt_translator = EcomDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_code_references=True),
)


def dbt_build_args() -> list[str]:
    """The `dbt build` command line of every partition run (the window is in the environment).

    dbt unit tests check the SQL, not the data, so they run in CI (the pytest suite builds
    with them) rather than in every partition run.
    """
    return ["build", *dbt_vars_args(), "--exclude-resource-type", "unit_test"]


@dbt_assets(
    manifest=ensure_manifest(),
    project=dbt_project,
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=settings.DUCKDB_WRITER_POOL,
    dagster_dbt_translator=dbt_translator,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    """dbt models of the staging, intermediate and marts schemas.

    Source: validated.events/products/users and quality.quarantine (the Python assets).
    Grain: one partition per UTC day; a backfill of a range runs as one `dbt build` over it.
    Inside built history, the models that read earlier days (late_data.DEPENDENT_MODELS)
    are built on over every later built day in the same build, each of those partitions
    recorded as materialized by this run.
    Purpose: turn validated records into the tested marts the dashboard reads; each dbt
    test is an asset check, and error-severity failures stop dependent models. Days whose
    ingestion failed are held back and named in the step's failure (assets/dbt_window.py).
    """
    export_dbt_environment()
    end = context.partition_time_window.end.date()
    # Inside built history, the later days that read this window are rebuilt in this build.
    later_end = late_data.later_days_end(context.instance, end)
    later = (end, later_end) if later_end else None
    if later:
        models = ", ".join(key.to_user_string() for key in late_data.DEPENDENT_KEYS)
        last = later_end - timedelta(days=1)
        context.log.info(f"{models} also rebuilt over the later built days {end}..{last}")
    events = build_window(context, dbt, dbt_build_args(), later_end)
    yield from with_daily_row_counts(context, events, engines.current_warehouse(), later)


dbt_assets_defs = [dbt_models]
