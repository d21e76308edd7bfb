"""Jobs over the whole graph: every asset, for one day or a range in a single run."""

from __future__ import annotations

import dagster as dg

PIPELINE_JOB = "daily_pipeline"

# Landing files are external: they are observed, never materialized.
pipeline = dg.define_asset_job(
    name=PIPELINE_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("landing"),
    description=(
        "Everything for a day or a range, in one run: ingest and validate the landing files, "
        "build the dbt models, publish the dashboard snapshot. Blocking checks stop the run "
        "before a bad partition reaches the marts."
    ),
)
