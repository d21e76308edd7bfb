"""`app.data` queries on the hand-made marts (see `warehouse.py` for the numbers)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app import data, data_behaviour, data_products, data_quality
from app.filters import Filters, UnknownIdentifierError
from app.snapshot import NoDataError

ALL_DAYS = Filters(date(2024, 3, 1), date(2024, 3, 4))
LAST_TWO_DAYS = Filters(date(2024, 3, 3), date(2024, 3, 4))


def test_snapshot_info_gives_the_data_range_and_publication_time(reading):
    info = data.snapshot_info()
    assert (info.first_date, info.last_date) == (date(2024, 3, 1), date(2024, 3, 4))
    assert info.published_at == datetime(2024, 3, 5, 2, 30)
    assert info.run_id == "run-42"
    # Less than 30 days of data: the default range is all of it.
    assert info.default_range == (date(2024, 3, 1), date(2024, 3, 4))


def test_kpi_totals_sum_orders_funnel_and_average_dau(reading):
    row = data.kpi_totals(LAST_TWO_DAYS).iloc[0]
    # o3 $80, o4 $120, o5 $40; funnel 3-4 Mar: 10 + 10 + 20 + 4 sessions, 1 + 0 + 1 + 1 bought.
    assert (row.revenue, row.orders) == (240.0, 3)
    assert (row.sessions, row.purchase_sessions) == (44, 3)
    assert row.average_dau == 20.0  # (18 + 22) / 2


def test_kpi_totals_apply_device_and_channel(reading):
    mobile = data.kpi_totals(Filters(date(2024, 3, 1), date(2024, 3, 4), devices=("mobile",)))
    assert (mobile.revenue[0], mobile.orders[0]) == (170.0, 2)  # o2 $50 + o4 $120
    assert (mobile.sessions[0], mobile.purchase_sessions[0]) == (50, 2)
    email = data.kpi_totals(Filters(date(2024, 3, 1), date(2024, 3, 4), channels=("email",)))
    assert (email.revenue[0], email.orders[0]) == (220.0, 2)  # o1 $100 + o4 $120


def test_kpi_totals_of_a_period_without_data_are_zero(reading):
    row = data.kpi_totals(ALL_DAYS.previous()).iloc[0]
    assert (row.revenue, row.orders, row.sessions) == (0.0, 0, 0)


def test_daily_sales_has_a_row_for_every_day_of_the_range(reading):
    daily = data.daily_sales(Filters(date(2024, 3, 2), date(2024, 3, 6)))
    assert [d.day for d in daily["day"]] == [2, 3, 4, 5, 6]
    assert daily["revenue"].tolist() == [50.0, 80.0, 160.0, 0.0, 0.0]
    assert daily["orders"].tolist() == [1, 1, 2, 0, 0]


def test_funnel_totals_and_breakdown_by_device(reading):
    totals = data.funnel_totals(ALL_DAYS).iloc[0].tolist()
    assert totals == [84, 33, 15, 8, 5]
    by_device = data.funnel_by(ALL_DAYS, "device").set_index("device")
    assert by_device["sessions"].to_dict() == {
        "mobile": 50,
        "desktop": 20,
        "unknown": 10,
        "tablet": 4,
    }
    assert by_device["purchase_sessions"].to_dict() == {
        "mobile": 2,
        "desktop": 2,
        "unknown": 0,
        "tablet": 1,
    }


def test_products_rank_by_a_whitelisted_metric(reading):
    by_revenue = data_products.top_products(ALL_DAYS, "revenue", 10)
    assert by_revenue["product_name"].tolist() == ["Trail Shoe", "Wool Socks", "Rain Jacket"]
    assert by_revenue["revenue"].tolist() == [220.0, 90.0, 80.0]
    by_units = data_products.top_products(ALL_DAYS, "units_sold", 2)
    assert by_units["product_name"].tolist() == ["Wool Socks", "Trail Shoe"]
    rate = data_products.top_products(ALL_DAYS, "view_to_purchase_rate", 10)
    assert rate["view_to_purchase_rate"].round(4).tolist() == [0.1667, 0.125, 0.1]


def test_revenue_and_view_to_purchase_by_category(reading):
    revenue = data_products.revenue_by_category(ALL_DAYS).set_index("category")["revenue"]
    assert revenue.to_dict() == {"Footwear": 310.0, "Apparel": 80.0}
    rates = data_products.view_to_purchase_by_category(ALL_DAYS).set_index("category")
    assert rates["product_views"].to_dict() == {"Footwear": 28, "Apparel": 10}
    assert rates["view_to_purchase_rate"].round(4).to_dict() == {"Footwear": 0.1429, "Apparel": 0.1}


def test_category_filter_applies_to_product_queries(reading):
    apparel = Filters(date(2024, 3, 1), date(2024, 3, 4), categories=("Apparel",))
    assert data_products.revenue_by_category(apparel)["category"].tolist() == ["Apparel"]
    assert data_products.top_products(apparel)["product_name"].tolist() == ["Rain Jacket"]
    assert data.categories() == ["Apparel", "Footwear"]


def test_retention_picks_the_cohorts_whose_first_week_overlaps_the_range(reading):
    # 1 Mar is a Friday: the week of 26 Feb is in.
    frame = data.retention(ALL_DAYS)
    assert frame["cohort_week"].dt.date.unique().tolist() == [date(2024, 2, 26), date(2024, 3, 4)]
    only_march_4 = data.retention(Filters(date(2024, 3, 4), date(2024, 3, 4)))
    assert only_march_4["cohort_week"].dt.date.unique().tolist() == [date(2024, 3, 4)]


def test_session_durations_fill_every_bucket(reading):
    buckets = data_behaviour.session_durations(ALL_DAYS)
    assert buckets["count"].tolist() == [2, 1, 1, 1, 1, 0, 1, 1]
    mobile = data_behaviour.session_durations(
        Filters(ALL_DAYS.start, ALL_DAYS.end, devices=("mobile",))
    )
    assert mobile["count"].tolist() == [0, 0, 1, 0, 1, 0, 1, 1]


def test_time_to_purchase_buckets_orders_by_seconds_from_session_start(reading):
    # o3 30 s, o1 120 s, o2 400 s, o5 700 s, o4 2000 s.
    assert data_behaviour.time_to_purchase(ALL_DAYS)["count"].tolist() == [1, 1, 1, 1, 1, 0]


def test_activity_by_hour_sums_a_whitelisted_metric(reading):
    cells = data_behaviour.activity_by_hour(ALL_DAYS, "events")
    friday_ten = cells[(cells.day_of_week == 5) & (cells.activity_hour == 10)]
    assert friday_ten["value"].tolist() == [40]
    purchases = data_behaviour.activity_by_hour(ALL_DAYS, "purchases")
    assert purchases["value"].sum() == 5


def test_quality_totals_count_each_partition_once_whatever_its_reasons(reading):
    totals = data_quality.quality_totals(ALL_DAYS).set_index("source")
    assert totals.loc["events"].tolist() == [330, 324, 6]
    assert totals.loc["products"].tolist() == [3, 3, 0]
    by_reason = data_quality.quarantine_by_reason(ALL_DAYS)
    # The 3 Mar record with two reasons counts under both.
    assert by_reason["rows_quarantined"].sum() == 7
    assert "none" not in by_reason["reason"].tolist()


def test_check_results_list_failures_first(reading):
    checks = data_quality.check_results()
    assert checks["check_name"].tolist() == ["quarantine_rate_is_low", "fct_orders_ids_are_unique"]
    assert data_quality.materializations()["asset_key"].tolist() == ["marts/fct_orders"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: data_products.top_products(ALL_DAYS, "revenue; drop table marts.fct_orders"),
        lambda: data.funnel_by(ALL_DAYS, "user_id"),
        lambda: data_behaviour.activity_by_hour(ALL_DAYS, "events) --"),
    ],
)
def test_queries_reject_identifiers_outside_their_whitelist(reading, call):
    with pytest.raises(UnknownIdentifierError):
        call()


def test_filter_values_travel_as_parameters_not_sql(reading):
    sneaky = Filters(ALL_DAYS.start, ALL_DAYS.end, categories=("x') or ('1'='1",))
    assert data_products.revenue_by_category(sneaky).empty


def test_queries_are_cached_per_snapshot_version(reading):
    data.clear_cache()
    data.kpi_totals(ALL_DAYS)
    data.kpi_totals(ALL_DAYS)
    info = data._cached.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_a_missing_snapshot_has_no_info_and_queries_raise_no_data(tmp_path):
    data.configure(tmp_path / "nothing-here.duckdb")
    try:
        assert data.snapshot_info() is None
        with pytest.raises(NoDataError):
            data.kpi_totals(ALL_DAYS)
    finally:
        data.configure(None)


def test_a_snapshot_with_empty_marts_has_no_info(empty_snapshot):
    data.configure(empty_snapshot)
    try:
        assert data.snapshot_info() is None
    finally:
        data.configure(None)
