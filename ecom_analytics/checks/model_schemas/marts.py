"""The rules dbt yml cannot say, checked by Pandera on the fact marts the dashboard reads."""

from __future__ import annotations

import itertools

import polars as pl

from ecom_analytics import vocabulary
from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules, frame_check
from ecom_analytics.checks.model_schemas.intermediate import (
    OrderColumns,
    ProductDayColumns,
    SessionColumns,
)

REASON_CODES = [
    "none",
    *(
        value
        for name, value in vars(vocabulary.Reason).items()
        if name.isupper() and isinstance(value, str)
    ),
]


def _is_net_revenue() -> pl.Expr:
    return pl.col("net_revenue") == pl.col("revenue") - pl.col("refunded_revenue")


def _non_increasing(*columns: str) -> pl.Expr:
    pairs = itertools.pairwise(columns)
    return pl.all_horizontal([pl.col(a) >= pl.col(b) for a, b in pairs])


class FctDailyEngagementRules(ModelRules):
    """marts.fct_daily_engagement: one row per UTC day with events."""

    activity_date = col.key()
    daily_active_users = col.count(ge=1)
    weekly_active_users = col.count()
    monthly_active_users = col.count()
    new_users = col.count()
    sessions = col.count()
    page_views = col.count()
    product_views = col.count()
    add_to_carts = col.count()
    orders = col.count()
    revenue = col.money()
    stickiness = col.rate()
    refunds = col.count()
    refunded_revenue = col.money()
    net_revenue = col.net_money()

    @frame_check("net revenue is revenue − refunded revenue")
    def net_revenue_is_revenue_less_refunds() -> pl.Expr:
        return _is_net_revenue()

    @frame_check("new users <= DAU <= WAU <= MAU")
    def active_user_counts_nest() -> pl.Expr:
        return _non_increasing(
            "monthly_active_users", "weekly_active_users", "daily_active_users", "new_users"
        )


class FctFunnelRules(ModelRules):
    """marts.fct_funnel: one row per UTC day, device and channel."""

    activity_date = col.required()
    device = col.device()
    channel = col.channel()
    sessions = col.count(ge=1)
    product_view_sessions = col.count()
    add_to_cart_sessions = col.count()
    checkout_sessions = col.count()
    purchase_sessions = col.count()

    unique = ("activity_date", "device", "channel")

    @frame_check("funnel steps never increase")
    def funnel_steps_never_increase() -> pl.Expr:
        return _non_increasing(
            "sessions",
            "product_view_sessions",
            "add_to_cart_sessions",
            "checkout_sessions",
            "purchase_sessions",
        )


class FctSessionsRules(SessionColumns):
    """marts.fct_sessions: one row per session."""

    duration_seconds = col.count(le=86_400)
    has_add_to_cart = col.required()
    has_checkout = col.required()
    has_purchase = col.required()
    is_bounce = col.required()

    @frame_check("a bounce is a session with exactly one event")
    def bounces_have_one_event() -> pl.Expr:
        return pl.col("is_bounce") == (pl.col("events") == 1)


class FctOrdersRules(OrderColumns):
    """marts.fct_orders: one row per order."""

    device = col.device()
    channel = col.channel()
    country = col.optional()
    is_first_order = col.required()
    seconds_from_session_start = col.count()
    days_since_first_seen = col.count()


class FctRevenueRules(ModelRules):
    """marts.fct_revenue: one row per UTC day and product sold."""

    order_date = col.required()
    product_id = col.required()
    category = col.optional()
    brand = col.optional()
    orders = col.count()
    units_sold = col.count()
    revenue = col.money()
    units_refunded = col.count()
    refunded_revenue = col.money()
    net_revenue = col.net_money()

    unique = ("order_date", "product_id")

    @frame_check("a row has a sale or a refund")
    def rows_have_a_sale_or_a_refund() -> pl.Expr:
        return ((pl.col("orders") >= 1) & (pl.col("units_sold") >= 1)) | (
            pl.col("units_refunded") >= 1
        )

    @frame_check("net revenue is revenue − refunded revenue")
    def net_revenue_is_revenue_less_refunds() -> pl.Expr:
        return _is_net_revenue()


class FctProductDailyRules(ProductDayColumns):
    """marts.fct_product_daily: one row per UTC day and product with events."""

    view_to_purchase_rate = col.optional(ge=0)


class FctActivityHourlyRules(ModelRules):
    """marts.fct_activity_hourly: one row per UTC day, hour, device and channel."""

    activity_date = col.required()
    activity_hour = col.required(ge=0, le=23)
    device = col.device()
    channel = col.channel()
    day_of_week = col.required(ge=1, le=7)
    events = col.count(ge=1)
    sessions_started = col.count()
    purchases = col.count()

    unique = ("activity_date", "activity_hour", "device", "channel")


class FctCohortRetentionRules(ModelRules):
    """marts.fct_cohort_retention: one row per cohort week and activity week."""

    cohort_week = col.required()
    activity_week = col.required()
    weeks_since_first_seen = col.count()
    cohort_size = col.count(ge=1)
    active_users = col.count()
    retention_rate = col.rate()

    unique = ("cohort_week", "activity_week")

    @frame_check("weeks are Mondays and the cohort week comes first")
    def weeks_are_ordered_mondays() -> pl.Expr:
        return (
            (pl.col("cohort_week").dt.weekday() == 1)
            & (pl.col("activity_week").dt.weekday() == 1)
            & (pl.col("activity_week") >= pl.col("cohort_week"))
            & (pl.col("active_users") <= pl.col("cohort_size"))
        )


class FctDataQualityRules(ModelRules):
    """marts.fct_data_quality: one row per partition day, source and reason."""

    partition_date = col.required()
    source = col.required(isin=list(vocabulary.SOURCES))
    reason = col.required()
    rows_read = col.count()
    rows_valid = col.count()
    rows_quarantined = col.count()
    reason_code = col.required(isin=REASON_CODES)
    partition_rows_quarantined = col.count()

    unique = ("partition_date", "source", "reason")

    @frame_check("rows_read = rows_valid + rows quarantined")
    def nothing_is_lost() -> pl.Expr:
        return (
            pl.col("rows_read") == pl.col("rows_valid") + pl.col("partition_rows_quarantined")
        ) & (pl.col("rows_quarantined") <= pl.col("partition_rows_quarantined"))
