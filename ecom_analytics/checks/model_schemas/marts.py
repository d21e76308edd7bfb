"""Pandera schemas of the fact marts (dbt schema `marts`), the tables the dashboard reads."""

from __future__ import annotations

import itertools

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine as pe

from ecom_analytics import vocabulary
from ecom_analytics.checks.model_schemas.columns import (
    ModelSchema,
    channel,
    count,
    device,
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


class FctDailyEngagementSchema(ModelSchema):
    """marts.fct_daily_engagement: one row per UTC day with events."""

    activity_date: pl.Date = key("UTC day.")
    daily_active_users: pl.Int64 = count("DAU.", ge=1)
    weekly_active_users: pl.Int64 = count("WAU, users active in D-6..D.")
    monthly_active_users: pl.Int64 = count("MAU, users active in D-29..D.")
    new_users: pl.Int64 = count("Users first seen on the day.")
    sessions: pl.Int64 = count("Sessions.")
    page_views: pl.Int64 = count("page_view events.")
    product_views: pl.Int64 = count("product_view events.")
    add_to_carts: pl.Int64 = count("add_to_cart events.")
    orders: pl.Int64 = count("Distinct orders.")
    revenue: pe.Decimal = money("Revenue.")
    stickiness: pl.Float64 = rate("DAU / MAU.")
    refunds: pl.Int64 = count("Refund events.")
    refunded_revenue: pe.Decimal = money("Refunded revenue.")
    net_revenue: pe.Decimal = net_money("Revenue − refunded revenue.")

    @pa.dataframe_check(description="net revenue is revenue − refunded revenue")
    def net_revenue_is_revenue_less_refunds(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(_is_net_revenue())

    @pa.dataframe_check(description="new users <= DAU <= WAU <= MAU")
    def active_user_counts_nest(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            _non_increasing(
                "monthly_active_users", "weekly_active_users", "daily_active_users", "new_users"
            )
        )


class FctFunnelSchema(ModelSchema):
    """marts.fct_funnel: one row per UTC day, device and channel."""

    activity_date: pl.Date = required("UTC day.")
    device: pl.String = device()
    channel: pl.String = channel()
    sessions: pl.Int64 = count("Sessions.", ge=1)
    product_view_sessions: pl.Int64 = count("Sessions with a product view.")
    add_to_cart_sessions: pl.Int64 = count("... and an add to cart.")
    checkout_sessions: pl.Int64 = count("... and a checkout.")
    purchase_sessions: pl.Int64 = count("... and a purchase.")

    class Config:
        unique = ("activity_date", "device", "channel")

    @pa.dataframe_check(description="funnel steps never increase")
    def funnel_steps_never_increase(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            _non_increasing(
                "sessions",
                "product_view_sessions",
                "add_to_cart_sessions",
                "checkout_sessions",
                "purchase_sessions",
            )
        )


class FctSessionsSchema(ModelSchema):
    """marts.fct_sessions: one row per session."""

    session_key: pl.String = key("Session id and day.")
    session_id: pl.String = required("Tracker or derived session id.")
    user_id: pl.String = required("User.")
    session_date: pl.Date = required("UTC day.")
    started_at: pl.Datetime = required("First event (UTC).")
    ended_at: pl.Datetime = required("Last event (UTC).")
    duration_seconds: pl.Float64 = count("Seconds from first to last event.", le=86_400)
    events: pl.Int64 = count("Events.", ge=1)
    page_views: pl.Int64 = count("page_view events.")
    product_views: pl.Int64 = count("product_view events.")
    has_add_to_cart: pl.Boolean = required("Has an add_to_cart.")
    has_checkout: pl.Boolean = required("Has a begin_checkout.")
    has_purchase: pl.Boolean = required("Has a purchase.")
    revenue: pe.Decimal = money("Revenue.")
    device: pl.String = device()
    channel: pl.String = channel()
    is_bounce: pl.Boolean = required("Exactly one event.")

    @pa.dataframe_check(description="a bounce is a session with exactly one event")
    def bounces_have_one_event(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("is_bounce") == (pl.col("events") == 1))


class FctOrdersSchema(ModelSchema):
    """marts.fct_orders: one row per order."""

    order_id: pl.String = key("Order identifier.")
    user_id: pl.String = required("User.")
    session_key: pl.String = required("Session of the order.")
    ordered_at: pl.Datetime = required("First purchase event (UTC).")
    order_date: pl.Date = required("UTC day.")
    items: pl.Int64 = count("Order lines.", ge=1)
    units: pl.Int64 = count("Units.", ge=1)
    revenue: pe.Decimal = money("Revenue.")
    device: pl.String = device()
    channel: pl.String = channel()
    country: pl.String = optional("Country.")
    is_first_order: pl.Boolean = required("The user's first order.")
    seconds_from_session_start: pl.Float64 = count("Seconds since the session began.")
    days_since_first_seen: pl.Int32 = count("Days since the user was first seen.")


class FctRevenueSchema(ModelSchema):
    """marts.fct_revenue: one row per UTC day and product sold."""

    order_date: pl.Date = required("UTC day.")
    product_id: pl.String = required("Product.")
    category: pl.String = optional("Category.")
    brand: pl.String = optional("Brand.")
    orders: pl.Int64 = count("Distinct orders.")
    units_sold: pl.Int64 = count("Units sold.")
    revenue: pe.Decimal = money("Revenue.")
    units_refunded: pl.Int64 = count("Units refunded on the day.")
    refunded_revenue: pe.Decimal = money("Refunded revenue.")
    net_revenue: pe.Decimal = net_money("Revenue − refunded revenue.")

    class Config:
        unique = ("order_date", "product_id")

    @pa.dataframe_check(description="a row has a sale or a refund")
    def rows_have_a_sale_or_a_refund(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            ((pl.col("orders") >= 1) & (pl.col("units_sold") >= 1))
            | (pl.col("units_refunded") >= 1)
        )

    @pa.dataframe_check(description="net revenue is revenue − refunded revenue")
    def net_revenue_is_revenue_less_refunds(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(_is_net_revenue())


class FctProductDailySchema(ModelSchema):
    """marts.fct_product_daily: one row per UTC day and product with events."""

    activity_date: pl.Date = required("UTC day.")
    product_id: pl.String = required("Product.")
    product_views: pl.Int64 = count("product_view events.")
    add_to_carts: pl.Int64 = count("add_to_cart events.")
    orders: pl.Int64 = count("Distinct orders.")
    units_sold: pl.Int64 = count("Units sold.")
    revenue: pe.Decimal = money("Revenue.")
    view_to_purchase_rate: pl.Float64 = optional("orders / product_views.", ge=0)

    class Config:
        unique = ("activity_date", "product_id")


class FctActivityHourlySchema(ModelSchema):
    """marts.fct_activity_hourly: one row per UTC day, hour, device and channel."""

    activity_date: pl.Date = required("UTC day.")
    activity_hour: pl.Int32 = required("Hour 0-23.", ge=0, le=23)
    device: pl.String = device()
    channel: pl.String = channel()
    day_of_week: pl.Int32 = required("ISO day of week.", ge=1, le=7)
    events: pl.Int64 = count("Events.", ge=1)
    sessions_started: pl.Int64 = count("Sessions started.")
    purchases: pl.Int64 = count("purchase events.")

    class Config:
        unique = ("activity_date", "activity_hour", "device", "channel")


class FctCohortRetentionSchema(ModelSchema):
    """marts.fct_cohort_retention: one row per cohort week and activity week."""

    cohort_week: pl.Date = required("Monday of the cohort's first week.")
    activity_week: pl.Date = required("Monday of the week measured.")
    weeks_since_first_seen: pl.Int32 = count("Weeks since the cohort week.")
    cohort_size: pl.Int64 = count("Users in the cohort.", ge=1)
    active_users: pl.Int64 = count("Cohort users active that week.")
    retention_rate: pl.Float64 = rate("active_users / cohort_size.")

    class Config:
        unique = ("cohort_week", "activity_week")

    @pa.dataframe_check(description="weeks are Mondays and the cohort week comes first")
    def weeks_are_ordered_mondays(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("cohort_week").dt.weekday() == 1)
            & (pl.col("activity_week").dt.weekday() == 1)
            & (pl.col("activity_week") >= pl.col("cohort_week"))
            & (pl.col("active_users") <= pl.col("cohort_size"))
        )


class FctDataQualitySchema(ModelSchema):
    """marts.fct_data_quality: one row per partition day, source and reason."""

    partition_date: pl.Date = required("The landing folder's UTC day.")
    source: pl.String = required("Source.", isin=list(vocabulary.SOURCES))
    reason: pl.String = required("Reason code or 'none'.")
    rows_read: pl.Int64 = count("Records read.")
    rows_valid: pl.Int64 = count("Records valid.")
    rows_quarantined: pl.Int64 = count("Records quarantined with this reason.")
    reason_code: pl.String = required("Reason without its field.", isin=REASON_CODES)
    partition_rows_quarantined: pl.Int64 = count("Records quarantined in the partition.")

    class Config:
        unique = ("partition_date", "source", "reason")

    @pa.dataframe_check(description="rows_read = rows_valid + rows quarantined")
    def nothing_is_lost(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("rows_read") == pl.col("rows_valid") + pl.col("partition_rows_quarantined"))
            & (pl.col("rows_quarantined") <= pl.col("partition_rows_quarantined"))
        )
