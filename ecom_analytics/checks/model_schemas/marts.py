"""The rules dbt yml cannot say, checked by Pandera on the fact marts the dashboard reads."""

from __future__ import annotations

import itertools

import polars as pl

from ecom_analytics import vocabulary
from ecom_analytics.checks.model_schemas.columns import (
    ModelRules,
    channel,
    count,
    device,
    frame_check,
    key,
    money,
    net_money,
    optional,
    rate,
    required,
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

    activity_date = key()
    daily_active_users = count(ge=1)
    weekly_active_users = count()
    monthly_active_users = count()
    new_users = count()
    sessions = count()
    page_views = count()
    product_views = count()
    add_to_carts = count()
    orders = count()
    revenue = money()
    stickiness = rate()
    refunds = count()
    refunded_revenue = money()
    net_revenue = net_money()

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

    activity_date = required()
    device = device()
    channel = channel()
    sessions = count(ge=1)
    product_view_sessions = count()
    add_to_cart_sessions = count()
    checkout_sessions = count()
    purchase_sessions = count()

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


class FctSessionsRules(ModelRules):
    """marts.fct_sessions: one row per session."""

    session_key = key()
    session_id = required()
    user_id = required()
    session_date = required()
    started_at = required()
    ended_at = required()
    duration_seconds = count(le=86_400)
    events = count(ge=1)
    page_views = count()
    product_views = count()
    has_add_to_cart = required()
    has_checkout = required()
    has_purchase = required()
    revenue = money()
    device = device()
    channel = channel()
    is_bounce = required()

    @frame_check("a bounce is a session with exactly one event")
    def bounces_have_one_event() -> pl.Expr:
        return pl.col("is_bounce") == (pl.col("events") == 1)


class FctOrdersRules(ModelRules):
    """marts.fct_orders: one row per order."""

    order_id = key()
    user_id = required()
    session_key = required()
    ordered_at = required()
    order_date = required()
    items = count(ge=1)
    units = count(ge=1)
    revenue = money()
    device = device()
    channel = channel()
    country = optional()
    is_first_order = required()
    seconds_from_session_start = count()
    days_since_first_seen = count()


class FctRevenueRules(ModelRules):
    """marts.fct_revenue: one row per UTC day and product sold."""

    order_date = required()
    product_id = required()
    category = optional()
    brand = optional()
    orders = count()
    units_sold = count()
    revenue = money()
    units_refunded = count()
    refunded_revenue = money()
    net_revenue = net_money()

    unique = ("order_date", "product_id")

    @frame_check("a row has a sale or a refund")
    def rows_have_a_sale_or_a_refund() -> pl.Expr:
        return ((pl.col("orders") >= 1) & (pl.col("units_sold") >= 1)) | (
            pl.col("units_refunded") >= 1
        )

    @frame_check("net revenue is revenue − refunded revenue")
    def net_revenue_is_revenue_less_refunds() -> pl.Expr:
        return _is_net_revenue()


class FctProductDailyRules(ModelRules):
    """marts.fct_product_daily: one row per UTC day and product with events."""

    activity_date = required()
    product_id = required()
    product_views = count()
    add_to_carts = count()
    orders = count()
    units_sold = count()
    revenue = money()
    view_to_purchase_rate = optional(ge=0)

    unique = ("activity_date", "product_id")


class FctActivityHourlyRules(ModelRules):
    """marts.fct_activity_hourly: one row per UTC day, hour, device and channel."""

    activity_date = required()
    activity_hour = required(ge=0, le=23)
    device = device()
    channel = channel()
    day_of_week = required(ge=1, le=7)
    events = count(ge=1)
    sessions_started = count()
    purchases = count()

    unique = ("activity_date", "activity_hour", "device", "channel")


class FctCohortRetentionRules(ModelRules):
    """marts.fct_cohort_retention: one row per cohort week and activity week."""

    cohort_week = required()
    activity_week = required()
    weeks_since_first_seen = count()
    cohort_size = count(ge=1)
    active_users = count()
    retention_rate = rate()

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

    partition_date = required()
    source = required(isin=list(vocabulary.SOURCES))
    reason = required()
    rows_read = count()
    rows_valid = count()
    rows_quarantined = count()
    reason_code = required(isin=REASON_CODES)
    partition_rows_quarantined = count()

    unique = ("partition_date", "source", "reason")

    @frame_check("rows_read = rows_valid + rows quarantined")
    def nothing_is_lost() -> pl.Expr:
        return (
            pl.col("rows_read") == pl.col("rows_valid") + pl.col("partition_rows_quarantined")
        ) & (pl.col("rows_quarantined") <= pl.col("partition_rows_quarantined"))
