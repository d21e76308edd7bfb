"""The dbt assets in Dagster: one run materializes a partition range and every check passes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ecom_analytics import settings
from ecom_analytics.assets.dbt import dbt_models
from ecom_analytics.checks.dbt_models import dbt_check_defs
from ecom_analytics.project import dbt_cli_resource

from .warehouse import load_dataset


def test_a_partition_range_materializes_in_one_run_with_passing_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "warehouse.duckdb"
    load_dataset(database)
    monkeypatch.setenv("ECOM_DUCKDB_PATH", str(database))
    target = tmp_path / "target"
    monkeypatch.setenv("DBT_TARGET_PATH", str(target))
    # Two earlier builds' folders: with two kept, the older goes, the newer stays.
    earlier = [target / "dbt_models-0000000-aaaaaaa", target / "dbt_models-0000000-bbbbbbb"]
    for age, folder in zip((7200, 3600), earlier, strict=True):
        folder.mkdir(parents=True)
        os.utime(folder, (time.time() - age, time.time() - age))
    monkeypatch.setattr(settings, "DBT_INVOCATIONS_KEPT", 2)

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [dbt_models, *dbt_check_defs],
            resources={"dbt": dbt_cli_resource()},
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": "2024-01-01",
                "dagster/asset_partition_range_end": "2024-01-03",
            },
        )
        assert result.success

        materialized: dict[dg.AssetKey, set[str]] = {}
        for event in result.get_asset_materialization_events():
            materialization = event.event_specific_data.materialization
            materialized.setdefault(materialization.asset_key, set()).add(materialization.partition)
        assert set(materialized) == set(dbt_models.keys)
        assert all(
            partitions == {"2024-01-01", "2024-01-02", "2024-01-03"}
            for partitions in materialized.values()
        ), materialized

        evaluations = result.get_asset_check_evaluations()
        assert {(e.asset_key, e.check_name) for e in evaluations} >= {
            key for check in dbt_check_defs for key in check.check_keys
        }
        failed = [(e.asset_key, e.check_name) for e in evaluations if not e.passed]
        assert not failed

        # Each day's own row count: stg_events has one row per validated event of its day.
        counts = {
            m.partition: m.metadata["dagster/partition_row_count"].value
            for m in (
                e.event_specific_data.materialization
                for e in result.all_events
                if e.is_step_materialization
            )
            if m.asset_key == dg.AssetKey(["staging", "stg_events"])
        }
        with duckdb.connect(str(database), read_only=True) as con:
            expected = dict(
                con.execute(
                    "select strftime(partition_date, '%Y-%m-%d'), count(*) from validated.events"
                    " where partition_date between '2024-01-01' and '2024-01-03' group by 1"
                ).fetchall()
            )
        assert len(expected) == 3 and counts == expected

    # This run's build folder (with its run results) and the newer earlier one are left.
    left = {folder for folder in target.iterdir() if folder.is_dir()}
    assert len(left) == 2 and earlier[1] in left, left
    (this_run,) = left - {earlier[1]}
    assert (this_run / "run_results.json").exists()
