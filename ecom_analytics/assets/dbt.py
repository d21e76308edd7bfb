"""dbt models as partitioned Dagster assets: staging, intermediate and marts, built in one run.

Every model is partitioned by UTC day. A run (one partition or a single-run backfill of a
range) passes its window to dbt as the vars `min_date`/`max_date` (half-open), and every
event- or day-grained model replaces exactly that window (see the `window_replace`
incremental strategy in dbt_project/macros). dbt tests arrive as asset checks.
"""

import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from ecom_analytics import engines, settings, vocabulary
from ecom_analytics.assets.dbt_window import build_window
from ecom_analytics.dbt_row_counts import with_daily_row_counts
from ecom_analytics.dbt_test_descriptions import describe_test
from ecom_analytics.partitions import daily_partitions
from ecom_analytics.project import dbt_project, ensure_manifest, export_dbt_environment

# dbt folders, which are also the warehouse schemas and the Dagster groups.
DBT_LAYERS = ("staging", "intermediate", "marts")


class EcomDbtTranslator(DagsterDbtTranslator):
    """Asset keys `[schema, table]`, like the Python assets; groups follow the dbt layers."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # The Python assets that write validated.* and quality.* own these keys.
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

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


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def dbt_vars_for_window(start: datetime | date, end: datetime | date) -> dict[str, Any]:
    """dbt vars for the half-open window [start, end), plus the shared vocabulary.

    Dates go as plain `YYYY-MM-DD` (a time window's bounds carry `+00:00`, which dbt's
    date casts must not see). The vocabulary is passed too, so dbt never runs with stale
    copies of the Python constants.
    """
    first, last = _as_date(start), _as_date(end)
    if last <= first:
        raise ValueError(f"empty partition window [{first}, {last})")
    return {
        "min_date": first.isoformat(),
        "max_date": last.isoformat(),
        "session_gap_minutes": vocabulary.SESSION_GAP_MINUTES,
        "event_types": list(vocabulary.EVENT_TYPES),
        "devices": list(vocabulary.DEVICES),
        "channels": list(vocabulary.CHANNELS),
        "loyalty_tiers": list(vocabulary.LOYALTY_TIERS),
        "sources": list(vocabulary.SOURCES),
    }


def dbt_build_args(start: datetime | date, end: datetime | date) -> list[str]:
    """The `dbt build` command line for one window.

    dbt unit tests check the SQL, not the data, so they run in CI (the pytest suite builds
    with them) rather than in every partition run.
    """
    return [
        "build",
        "--vars",
        json.dumps(dbt_vars_for_window(start, end)),
        "--exclude-resource-type",
        "unit_test",
    ]


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
    Purpose: turn validated records into the tested marts the dashboard reads; each dbt
    test is an asset check, and error-severity failures stop dependent models. Days whose
    ingestion failed are held back and named in the step's failure (assets/dbt_window.py).
    """
    export_dbt_environment()
    yield from with_daily_row_counts(
        context, build_window(context, dbt, dbt_build_args), engines.current_warehouse()
    )


dbt_assets_defs = [dbt_models]
