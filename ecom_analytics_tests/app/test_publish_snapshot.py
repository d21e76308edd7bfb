"""`publish_snapshot`: what the dashboard's copy of the marts holds and how it is swapped in."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import duckdb
import pytest

from app.snapshot import SnapshotReader
from ecom_analytics.assets.dashboard import publish_snapshot, snapshot_row_counts
from ecom_analytics_tests.app.conftest import AS_OF_META
from ecom_analytics_tests.app.warehouse import build_warehouse

# The marts the dashboard reads (the `dashboard` exposure): not dim_date nor dim_users.
MART_TABLES = {
    "dim_products",
    "fct_activity_hourly",
    "fct_cohort_retention",
    "fct_daily_engagement",
    "fct_data_quality",
    "fct_funnel",
    "fct_orders",
    "fct_product_daily",
    "fct_refunds",
    "fct_revenue",
    "fct_sessions",
}


def _read(path, sql):
    con = duckdb.connect()
    try:
        con.execute("attach ? as s (read_only)", [str(path)])
        con.execute("use s")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_publish_snapshot_copies_the_dashboards_marts_and_nothing_else(snapshot):
    tables = _read(snapshot, "select schema_name, table_name from duckdb_tables()")
    assert {name for schema, name in tables if schema == "marts"} == MART_TABLES
    assert {schema for schema, _ in tables} == {"marts", "meta"}
    assert snapshot_row_counts(snapshot)["fct_orders"] == 5
    assert _read(snapshot, "select sum(revenue) from marts.fct_orders") == [(390,)]


def test_publish_snapshot_keeps_of_fct_sessions_only_the_columns_the_dashboard_reads(snapshot):
    def columns(table):
        return [
            name
            for (name,) in _read(
                snapshot,
                "select column_name from duckdb_columns()"
                f" where schema_name = 'marts' and table_name = '{table}' order by column_index",
            )
        ]

    # Every row, four of its columns: the fixture has eight sessions, 3065 s in all.
    assert columns("fct_sessions") == ["session_date", "device", "channel", "duration_seconds"]
    assert snapshot_row_counts(snapshot)["fct_sessions"] == 8
    assert _read(snapshot, "select sum(duration_seconds) from marts.fct_sessions") == [(3065.0,)]
    # Any other mart is copied whole.
    assert "seconds_from_session_start" in columns("fct_orders")
    assert len(columns("fct_orders")) == 14


def test_publish_snapshot_records_when_and_what_was_published(snapshot):
    assert _read(snapshot, "select * from meta.snapshot") == [
        (datetime(2024, 3, 5, 2, 30), "run-42", *(datetime(2024, 3, d).date() for d in (1, 4)))
    ]
    checks = _read(
        snapshot, "select check_name, passed, severity from meta.check_results order by 1"
    )
    assert checks == [
        ("fct_orders_ids_are_unique", True, "ERROR"),
        ("quarantine_rate_is_low", False, "WARN"),
    ]
    assert _read(snapshot, "select asset_key, materialized_at from meta.materializations") == [
        ("marts/fct_orders", datetime(2024, 3, 5, 2, 15))
    ]


def test_publish_snapshot_stores_every_row_of_a_long_meta_table(tmp_path):
    # 1,201 rows: more than one insert statement's worth, the last one partly filled.
    rows = [
        {
            "metric": f"metric_{n % 7}",
            "day": date(2024, 1, 1) + timedelta(days=n // 7),
            "value": n / 4,
            "lower_bound": None if n % 5 == 0 else float(n),
            "upper_bound": float(n + 1),
            "fired": n % 3 == 0,
        }
        for n in range(1201)
    ]
    target = publish_snapshot(
        build_warehouse(tmp_path / "warehouse.duckdb"),
        tmp_path / "dashboard.duckdb",
        as_of_meta={"anomalies": rows},
    )
    stored = _read(target, "select * from meta.anomalies order by value")
    assert stored == [tuple(row.values()) for row in rows]


def test_publish_snapshot_swaps_the_file_while_a_reader_has_the_old_one_open(tmp_path):
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    target = tmp_path / "dashboard.duckdb"
    publish_snapshot(warehouse, target, as_of_meta={"run_id": "first"})
    reader = SnapshotReader(target)
    try:
        assert reader.query("select run_id from meta.snapshot")["run_id"].tolist() == ["first"]
        first_inode = target.stat().st_ino

        publish_snapshot(warehouse, target, as_of_meta={"run_id": "second"})

        assert target.stat().st_ino != first_inode
        assert reader.query("select run_id from meta.snapshot")["run_id"].tolist() == ["second"]
    finally:
        reader.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dashboard.duckdb", "warehouse.duckdb"]


def test_publish_snapshot_of_a_warehouse_without_marts_publishes_no_tables(tmp_path):
    target = publish_snapshot(tmp_path / "missing.duckdb", tmp_path / "d.duckdb", as_of_meta={})
    assert _read(target, "select count(*) from duckdb_tables() where schema_name = 'marts'") == [
        (0,)
    ]
    assert _read(target, "select count(*) from meta.snapshot") == [(1,)]


def test_publish_snapshot_rejects_unknown_meta_keys(tmp_path):
    with pytest.raises(ValueError, match="publishd_at"):
        publish_snapshot(
            tmp_path / "w.duckdb", tmp_path / "d.duckdb", as_of_meta={"publishd_at": 1}
        )
    assert not os.listdir(tmp_path)


def test_publish_snapshot_meta_fixture_uses_only_known_keys():
    # The fixture doubles as the documentation of `as_of_meta`.
    assert set(AS_OF_META) == {
        "published_at",
        "run_id",
        "partition_start",
        "partition_end",
        "check_results",
        "materializations",
        "anomalies",
    }


def test_checks_only_planned_by_a_running_run_are_left_out_of_the_snapshot():
    from types import SimpleNamespace

    import dagster as dg

    from ecom_analytics.assets.dashboard import latest_check_results

    planned = SimpleNamespace(evaluation=object(), run_id="r1")  # not an evaluation yet
    instance = SimpleNamespace(
        event_log_storage=SimpleNamespace(
            get_latest_asset_check_execution_by_key=lambda keys: dict.fromkeys(keys, planned)
        )
    )
    key = dg.AssetCheckKey(dg.AssetKey(["marts", "fct_orders"]), "fct_orders_rows_match_schema")

    assert latest_check_results(instance, [key]) == []
