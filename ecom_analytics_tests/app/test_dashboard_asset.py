"""The `dashboard` asset: its place in the graph, and a run that publishes a snapshot with
the instance's check results and materializations."""

from __future__ import annotations

import dagster as dg
import duckdb

from ecom_analytics import settings
from ecom_analytics.assets.dashboard import DASHBOARD_MARTS, dashboard, dashboard_assets
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics_tests.app.warehouse import build_warehouse


def test_dashboard_asset_sits_downstream_of_the_marts_it_reads():
    spec = dashboard.specs_by_key[dg.AssetKey(["app", "dashboard"])]
    assert dashboard_assets == [dashboard]
    assert spec.group_name == "dashboard"
    assert dashboard.partitions_def == daily_partitions
    assert dashboard.op.pool == settings.DUCKDB_WRITER_POOL
    assert {dep.asset_key for dep in spec.deps} == {
        dg.AssetKey(["marts", name]) for name in DASHBOARD_MARTS
    }
    assert "Source:" in spec.description and "Grain:" in spec.description


def test_a_run_publishes_the_marts_with_check_results_and_materializations(tmp_path, monkeypatch):
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    snapshot = tmp_path / "dashboard.duckdb"
    monkeypatch.setenv("ECOM_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("ECOM_DASHBOARD_DB", str(snapshot))

    @dg.asset(
        key=["marts", "fct_orders"],
        partitions_def=daily_partitions,
        check_specs=[dg.AssetCheckSpec("fct_orders_ids_are_unique", asset=["marts", "fct_orders"])],
    )
    def fct_orders():
        yield dg.MaterializeResult()
        yield dg.AssetCheckResult(passed=True)

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [fct_orders, dashboard], partition_key="2024-03-04", instance=instance
        )
    assert result.success

    con = duckdb.connect()
    con.execute("attach ? as s (read_only)", [str(snapshot)])
    assert con.execute("select count(*) from s.marts.fct_orders").fetchone() == (5,)
    assert con.execute(
        "select asset_key, check_name, passed, severity from s.meta.check_results"
    ).fetchall() == [("marts/fct_orders", "fct_orders_ids_are_unique", True, "ERROR")]
    assert con.execute(
        "select asset_key, partition_key from s.meta.materializations"
    ).fetchall() == [("marts/fct_orders", "2024-03-04")]
    run_id, start, end = con.execute(
        "select run_id, partition_start, partition_end from s.meta.snapshot"
    ).fetchone()
    assert run_id == result.run_id
    assert (start.isoformat(), end.isoformat()) == ("2024-03-04", "2024-03-04")
    metadata = result.asset_materializations_for_node("app__dashboard")[0].metadata
    assert metadata["table_rows"].data["fct_orders"] == 5
