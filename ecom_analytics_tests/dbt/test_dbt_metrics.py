"""Every SPEC §5 metric on the hand-made dataset (dataset.py), against values worked out by hand."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from .dataset import DAY_1, DAY_2, DAY_3
from .landing import materialize_landing_zone
from .warehouse import query, query_dicts


@pytest.fixture(scope="module", params=["validated tables", "landing files"])
def built_warehouse(
    request: pytest.FixtureRequest,
    built_warehouse: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The same metrics, from dbt over the validated tables and from the whole pipeline
    (landing files → Pandera → dbt, one Dagster run)."""
    if request.param == "validated tables":
        return built_warehouse
    return materialize_landing_zone(tmp_path_factory.mktemp("landing"))


def rows_by(database: Path, table: str, *key: str) -> dict[object, dict[str, object]]:
    rows = query_dicts(database, f"select * from {table}")
    if len(key) == 1:
        return {row[key[0]]: row for row in rows}
    return {tuple(row[name] for name in key): row for row in rows}


def test_daily_engagement_counts_active_users_new_users_and_totals(built_warehouse: Path) -> None:
    days = rows_by(built_warehouse, "marts.fct_daily_engagement", "activity_date")
    assert set(days) == {DAY_1, DAY_2, DAY_3}

    # Day 1: u1, u2, u3 are active and all new; MAU = WAU = DAU = 3, stickiness 3 / 3.
    # Sessions: s1, u2#1, u2#2, s3 = 4. Page views e101, e111, e113, e121 = 4; product views
    # e102, e104, e112, e122 = 4; carts e103, e105 = 2. One order o1 of 2 x 10 + 1 x 20 = 40.
    day = days[DAY_1]
    assert (day["daily_active_users"], day["weekly_active_users"], day["monthly_active_users"]) == (
        3,
        3,
        3,
    )
    assert day["new_users"] == 3
    assert (day["sessions"], day["page_views"], day["product_views"], day["add_to_carts"]) == (
        4,
        4,
        4,
        2,
    )
    assert (day["orders"], day["revenue"], day["stickiness"]) == (1, Decimal("40.00"), 1.0)
    # Only s1 reached every funnel step: conversion 1 / 4; AOV 40 / 1.
    assert (day["conversion_rate"], day["average_order_value"]) == (0.25, 40.0)

    # Day 2: u3 (s3 after midnight), u1 (s4), u2 (derived) are active, none new.
    # Page views e134 = 1; product views e131, e141 = 2; carts e123, e132, e142 = 3.
    # Orders o2 (20.00) and o3 (3 x 12.00 = 36.00): revenue 56, AOV 28.
    # s3's second half has no product view, so only u2's session converts: 1 / 3.
    day = days[DAY_2]
    assert (day["daily_active_users"], day["weekly_active_users"], day["monthly_active_users"]) == (
        3,
        3,
        3,
    )
    assert (day["new_users"], day["sessions"], day["page_views"]) == (0, 3, 1)
    assert (day["product_views"], day["add_to_carts"]) == (2, 3)
    assert (day["orders"], day["revenue"]) == (2, Decimal("56.00"))
    assert day["average_order_value"] == 28.0
    assert day["conversion_rate"] == pytest.approx(1 / 3)

    # Day 3: u4 (new) and u1 are active: DAU 2; over D-6..D and D-29..D all four users:
    # WAU = MAU = 4, stickiness 2 / 4. One order o4 of 30.00; nobody converts (no product view).
    day = days[DAY_3]
    assert (day["daily_active_users"], day["weekly_active_users"], day["monthly_active_users"]) == (
        2,
        4,
        4,
    )
    assert (day["new_users"], day["sessions"], day["page_views"], day["product_views"]) == (
        1,
        2,
        2,
        0,
    )
    assert (day["orders"], day["revenue"], day["stickiness"]) == (1, Decimal("30.00"), 0.5)
    assert day["conversion_rate"] == 0.0


def test_sessions_split_untracked_events_at_gaps_and_end_at_midnight(built_warehouse: Path) -> None:
    sessions = rows_by(built_warehouse, "marts.fct_sessions", "session_key")
    assert sorted(sessions) == sorted(
        [
            "s1-2024-01-01",
            "u2#1-2024-01-01",
            "u2#2-2024-01-01",
            "s3-2024-01-01",
            "s3-2024-01-02",
            "s4-2024-01-02",
            "u2#1-2024-01-02",
            "s5-2024-01-03",
            "s6-2024-01-03",
        ]
    )
    # u2's day 1: 10:00 and 10:10, then a 40-minute gap, then 10:50 and 10:55.
    first, second = sessions["u2#1-2024-01-01"], sessions["u2#2-2024-01-01"]
    assert (first["started_at"], first["ended_at"], first["events"]) == (
        datetime(2024, 1, 1, 10, 0),
        datetime(2024, 1, 1, 10, 10),
        2,
    )
    assert (second["started_at"], second["events"], second["duration_seconds"]) == (
        datetime(2024, 1, 1, 10, 50),
        2,
        300.0,
    )
    assert first["is_derived_session"] and first["device"] == "unknown"
    # s3 runs 23:50-00:15 and is cut at midnight: 2 events on day 1, 3 on day 2.
    before, after = sessions["s3-2024-01-01"], sessions["s3-2024-01-02"]
    assert (before["events"], before["ended_at"]) == (2, datetime(2024, 1, 1, 23, 55))
    assert (after["events"], after["started_at"], after["duration_seconds"]) == (
        3,
        datetime(2024, 1, 2, 0, 5),
        600.0,
    )
    assert after["has_purchase"] and after["revenue"] == Decimal("20.00")
    # s1: 8 events over 6 minutes, the multi-item order's 40.00; s5 is u4's single-event bounce.
    assert (sessions["s1-2024-01-01"]["events"], sessions["s1-2024-01-01"]["duration_seconds"]) == (
        8,
        360.0,
    )
    assert sessions["s1-2024-01-01"]["revenue"] == Decimal("40.00")
    bounces = {key for key, session in sessions.items() if session["is_bounce"]}
    assert bounces == {"s5-2024-01-03"}


def test_funnel_counts_nested_steps_per_device_and_channel(built_warehouse: Path) -> None:
    funnel = {
        key: (
            row["sessions"],
            row["product_view_sessions"],
            row["add_to_cart_sessions"],
            row["checkout_sessions"],
            row["purchase_sessions"],
        )
        for key, row in rows_by(
            built_warehouse, "marts.fct_funnel", "activity_date", "device", "channel"
        ).items()
    }
    assert funnel == {
        # s1 reached every step.
        (DAY_1, "mobile", "organic_search"): (1, 1, 1, 1, 1),
        # u2's two derived sessions: one viewed p3, neither carted.
        (DAY_1, "unknown", "unknown"): (2, 1, 0, 0, 0),
        # s3 before midnight viewed p2.
        (DAY_1, "desktop", "direct"): (1, 1, 0, 0, 0),
        # s3 after midnight carted and bought, but without a product view: it counts at no step.
        (DAY_2, "desktop", "direct"): (1, 0, 0, 0, 0),
        # s4 viewed and carted (then removed) without checking out.
        (DAY_2, "tablet", "email"): (1, 1, 1, 0, 0),
        # u2's derived session of day 2 went all the way.
        (DAY_2, "mobile", "paid_search"): (1, 1, 1, 1, 1),
        (DAY_3, "mobile", "social"): (1, 0, 0, 0, 0),
        # s6 bought p3 without viewing it.
        (DAY_3, "desktop", "direct"): (1, 0, 0, 0, 0),
    }


def test_orders_carry_their_session_first_order_flag_and_timing(built_warehouse: Path) -> None:
    orders = rows_by(built_warehouse, "marts.fct_orders", "order_id")
    summary = {
        order_id: (
            row["user_id"],
            row["session_key"],
            row["order_date"],
            row["items"],
            row["units"],
            row["revenue"],
            row["device"],
            row["channel"],
            row["is_first_order"],
            row["seconds_from_session_start"],
            row["days_since_first_seen"],
        )
        for order_id, row in orders.items()
    }
    assert summary == {
        # Two lines (p1 x 2 at 10.00, p2 x 1 at 20.00) at 09:06, 6 minutes into s1.
        "o1": ("u1", "s1-2024-01-01", DAY_1, 2, 3, Decimal("40.00"), "mobile", "organic_search",
               True, 360.0, 0),
        # 00:15, 10 minutes after s3's day-2 half began at 00:05; u3 was first seen on day 1.
        "o2": ("u3", "s3-2024-01-02", DAY_2, 1, 1, Decimal("20.00"), "desktop", "direct",
               True, 600.0, 1),
        # No session_id: matched to u2's derived session of day 2 (14:00), 7 minutes in.
        "o3": ("u2", "u2#1-2024-01-02", DAY_2, 1, 3, Decimal("36.00"), "mobile", "paid_search",
               True, 420.0, 1),
        # u1's second order, 10 minutes into s6, two days after first seen.
        "o4": ("u1", "s6-2024-01-03", DAY_3, 1, 1, Decimal("30.00"), "desktop", "direct",
               False, 600.0, 2),
    }  # fmt: skip


def test_revenue_by_product_adds_up_to_the_orders_revenue(built_warehouse: Path) -> None:
    revenue = {
        key: (row["category"], row["brand"], row["orders"], row["units_sold"], row["revenue"])
        for key, row in rows_by(
            built_warehouse, "marts.fct_revenue", "order_date", "product_id"
        ).items()
    }
    assert revenue == {
        (DAY_1, "p1"): ("Kitchen", "Acme", 1, 2, Decimal("20.00")),
        (DAY_1, "p2"): ("Apparel", "Basic", 1, 1, Decimal("20.00")),
        # p1 at its new price: 3 x 12.00.
        (DAY_2, "p1"): ("Kitchen", "Acme", 1, 3, Decimal("36.00")),
        (DAY_2, "p2"): ("Apparel", "Basic", 1, 1, Decimal("20.00")),
        (DAY_3, "p3"): ("Home", "Glow", 1, 1, Decimal("30.00")),
        # e163 refunds one p1 on day 3: a row of that day with no sale.
        (DAY_3, "p1"): ("Kitchen", "Acme", 0, 0, Decimal("0.00")),
    }
    per_day = dict(
        query(built_warehouse, "select order_date, sum(revenue) from marts.fct_orders group by 1")
    )
    assert per_day == {DAY_1: Decimal("40.00"), DAY_2: Decimal("56.00"), DAY_3: Decimal("30.00")}


def test_product_daily_counts_views_carts_removals_and_purchases(built_warehouse: Path) -> None:
    products = rows_by(built_warehouse, "marts.fct_product_daily", "activity_date", "product_id")
    assert set(products) == {
        (DAY_1, "p1"),
        (DAY_1, "p2"),
        (DAY_1, "p3"),
        (DAY_2, "p1"),
        (DAY_2, "p2"),
        (DAY_3, "p3"),
    }
    # Day 2, p1: viewed by u1 and u2, carted by both (1 + 3 units), removed once by u1,
    # bought by u2 (3 units, 36.00): orders / views = 1 / 2.
    p1 = products[(DAY_2, "p1")]
    assert (p1["product_views"], p1["add_to_carts"], p1["remove_from_carts"]) == (2, 2, 1)
    assert (p1["units_added"], p1["units_removed"], p1["units_sold"]) == (4, 1, 3)
    assert (p1["orders"], p1["revenue"], p1["view_to_purchase_rate"]) == (1, Decimal("36.00"), 0.5)
    # Day 1, p2: viewed by u1 and u3, bought by u1.
    p2 = products[(DAY_1, "p2")]
    assert (p2["product_views"], p2["orders"], p2["view_to_purchase_rate"]) == (2, 1, 0.5)
    # Day 3, p3: bought without a view, so there is no view-to-purchase rate.
    assert products[(DAY_3, "p3")]["view_to_purchase_rate"] is None


def test_activity_hourly_counts_events_sessions_and_purchases(built_warehouse: Path) -> None:
    hours = {
        key: (row["day_of_week"], row["events"], row["sessions_started"], row["purchases"])
        for key, row in rows_by(
            built_warehouse,
            "marts.fct_activity_hourly",
            "activity_date",
            "activity_hour",
            "device",
            "channel",
        ).items()
    }
    assert hours == {
        # Monday: s1 at 09:00 (8 events, two purchase lines), u2's two sessions at 10:xx,
        # s3's first half at 23:xx.
        (DAY_1, 9, "mobile", "organic_search"): (1, 8, 1, 2),
        (DAY_1, 10, "unknown", "unknown"): (1, 4, 2, 0),
        (DAY_1, 23, "desktop", "direct"): (1, 2, 1, 0),
        # Tuesday: s3's second half starts a new session at 00:05.
        (DAY_2, 0, "desktop", "direct"): (2, 3, 1, 1),
        (DAY_2, 12, "tablet", "email"): (2, 4, 1, 0),
        (DAY_2, 14, "mobile", "paid_search"): (2, 4, 1, 1),
        (DAY_3, 8, "mobile", "social"): (3, 1, 1, 0),
        # s6: a page view, a purchase line and e163's refund.
        (DAY_3, 18, "desktop", "direct"): (3, 3, 1, 1),
    }


def test_cohort_retention_puts_every_user_in_the_week_of_their_first_event(
    built_warehouse: Path,
) -> None:
    # u1, u2, u3 are first seen on Monday 2024-01-01 and u4 on Wednesday: one cohort of 4,
    # all active in their own week.
    assert query_dicts(built_warehouse, "select * from marts.fct_cohort_retention") == [
        {
            "cohort_week": date(2024, 1, 1),
            "activity_week": date(2024, 1, 1),
            "weeks_since_first_seen": 0,
            "cohort_size": 4,
            "active_users": 4,
            "retention_rate": 1.0,
        }
    ]


def test_data_quality_accounts_for_every_record_read(built_warehouse: Path) -> None:
    quality = {
        key: (row["rows_read"], row["rows_valid"], row["rows_quarantined"])
        for key, row in rows_by(
            built_warehouse, "marts.fct_data_quality", "partition_date", "source", "reason"
        ).items()
    }
    assert quality == {
        # Day 1 events: 14 valid + 2 quarantined, one of them with two reasons.
        (DAY_1, "events", "missing_required_field:user_id"): (16, 14, 1),
        (DAY_1, "events", "unknown_event_type"): (16, 14, 1),
        (DAY_1, "events", "invalid_value:quantity"): (16, 14, 1),
        (DAY_1, "products", "none"): (3, 3, 0),
        (DAY_1, "users", "none"): (2, 2, 0),
        (DAY_2, "events", "duplicate_event_id"): (12, 11, 1),
        # Two valid records of p1 on day 2 (only the later is kept in staging).
        (DAY_2, "products", "none"): (2, 2, 0),
        (DAY_2, "users", "invalid_value:loyalty_tier"): (2, 1, 1),
        (DAY_3, "events", "none"): (4, 4, 0),  # e151, e161, e162 and the refund e163
        (DAY_3, "users", "none"): (1, 1, 0),
    }


def test_dim_users_opens_a_version_when_the_loyalty_tier_changes(built_warehouse: Path) -> None:
    versions = query(
        built_warehouse,
        "select user_id, valid_from, valid_to, is_current, loyalty_tier, email_hash "
        "from marts.dim_users order by user_id, valid_from",
    )
    ann = hashlib.sha256(b"ann@example.com").hexdigest()
    assert versions[:2] == [
        ("u1", datetime(2024, 1, 1), datetime(2024, 1, 3, 12), False, "bronze", ann),
        ("u1", datetime(2024, 1, 3, 12), None, True, "gold", ann),
    ]
    assert [(row[0], row[3], row[4]) for row in versions[2:]] == [
        ("u2", True, "silver"),
        ("u3", True, "bronze"),
    ]


def test_dim_products_keeps_each_products_latest_record(built_warehouse: Path) -> None:
    prices = dict(query(built_warehouse, "select product_id, list_price from marts.dim_products"))
    # p1 had two records on day 2: 12.00 (08:00) beats 11.00 (07:00), and both beat day 1.
    assert prices == {"p1": Decimal("12.00"), "p2": Decimal("20.00"), "p3": Decimal("30.00")}


def test_dim_date_spans_the_days_with_events(built_warehouse: Path) -> None:
    assert query(
        built_warehouse,
        "select date_day, day_of_week, iso_week, week_start, is_weekend from marts.dim_date "
        "order by 1",
    ) == [
        (DAY_1, 1, 1, DAY_1, False),
        (DAY_2, 2, 1, DAY_1, False),
        (DAY_3, 3, 1, DAY_1, False),
    ]


def test_raw_emails_never_leave_the_source_tables(built_warehouse: Path) -> None:
    columns = query(
        built_warehouse,
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('staging', 'intermediate', 'marts') and data_type = 'VARCHAR'",
    )
    assert not [column for column in columns if column[2] == "email"]
    for schema, table, column in columns:
        sql = f'select count(*) from {schema}.{table} where "{column}" like ?'
        [(hits,)] = query(built_warehouse, sql, ["%@%"])
        assert hits == 0, f"{schema}.{table}.{column} holds an email address"
