"""The code location loads, and its graph is exactly the one recorded here.

Any change to assets, checks, jobs, schedules or sensors must be deliberate: update
`graph_snapshot.txt` with `UPDATE_GRAPH_SNAPSHOT=1 pytest ecom_analytics_tests/test_definitions.py`
and review the diff.
"""

import os
from pathlib import Path

import dagster as dg

from ecom_analytics.definitions import defs

SNAPSHOT = Path(__file__).with_name("graph_snapshot.txt")

EXPECTED_ASSET_KEYS = {
    "landing/events", "landing/products", "landing/users",
    "raw/events", "raw/products", "raw/users",
    "validated/events", "validated/products", "validated/users",
    "quality/quarantine",
    "staging/stg_events", "staging/stg_products", "staging/stg_users", "staging/stg_quarantine",
    "intermediate/int_sessions", "intermediate/int_user_daily_activity",
    "intermediate/int_orders", "intermediate/int_user_journey", "intermediate/int_user_record_days",
    "intermediate/int_product_interactions",
    "marts/fct_daily_engagement", "marts/fct_funnel", "marts/fct_sessions", "marts/fct_orders",
    "marts/fct_revenue",
    "marts/fct_refunds", "marts/fct_product_daily", "marts/fct_activity_hourly",
    "marts/fct_cohort_retention", "marts/fct_data_quality",
    "marts/dim_users", "marts/dim_products", "marts/dim_date",
    "app/dashboard",
}  # fmt: skip


def graph_lines() -> list[str]:
    graph = defs.resolve_asset_graph()
    lines = [f"asset {key.to_user_string()}" for key in graph.get_all_asset_keys()]
    lines += [
        f"check {key.asset_key.to_user_string()}:{key.name}" for key in graph.asset_check_keys
    ]
    lines += [f"job {job.name}" for job in defs.resolve_all_job_defs()]
    lines += [f"schedule {schedule.name}" for schedule in defs.schedules or []]
    lines += [f"sensor {sensor.name}" for sensor in defs.sensors or []]
    return sorted(lines)


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)


def test_every_asset_key_is_schema_and_table():
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == EXPECTED_ASSET_KEYS


def test_every_asset_is_partitioned_by_day_and_described():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.partitions_def is not None, key
        assert isinstance(node.partitions_def, dg.DailyPartitionsDefinition), key
        assert node.description, key


def test_graph_matches_the_recorded_snapshot():
    lines = graph_lines()
    if os.environ.get("UPDATE_GRAPH_SNAPSHOT"):
        SNAPSHOT.write_text("\n".join(lines) + "\n")
    assert lines == SNAPSHOT.read_text().splitlines()
