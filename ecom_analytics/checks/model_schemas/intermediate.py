"""Pandera schemas of the intermediate models (dbt schema `intermediate`)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine as pe

from ecom_analytics.checks.model_schemas.columns import (
    ModelSchema,
    channel,
    count,
    device,
    key,
    money,
    optional,
    required,
)


class IntSessionsSchema(ModelSchema):
    """intermediate.int_sessions: one row per session (session_id and UTC day)."""

    session_key: pl.String = key("Session id (given or derived) and day.")
    session_id: pl.String = required("Tracker or derived session id.")
    session_date: pl.Date = required("UTC day of the session.")
    user_id: pl.String = required("User of the first event.")
    started_at: pl.Datetime = required("First event (UTC).")
    ended_at: pl.Datetime = required("Last event (UTC).")
    duration_seconds: pl.Float64 = count("Elapsed seconds from first to last event.")
    events: pl.Int64 = count("Events in the session.", ge=1)
    page_views: pl.Int64 = count("page_view events.")
    product_views: pl.Int64 = count("product_view events.")
    add_to_carts: pl.Int64 = count("add_to_cart events.")
    revenue: pe.Decimal = money("Revenue of the session's purchases.")
    device: pl.String = device()
    channel: pl.String = channel()

    @pa.dataframe_check(description="sessions end no earlier than they start, on their day")
    def sessions_stay_within_their_day(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("ended_at") >= pl.col("started_at"))
            & (pl.col("started_at").dt.date() == pl.col("session_date"))
            & (pl.col("ended_at").dt.date() == pl.col("session_date"))
        )


class IntUserDailyActivitySchema(ModelSchema):
    """intermediate.int_user_daily_activity: one row per user and UTC day with events."""

    user_id: pl.String = required("User.")
    activity_date: pl.Date = required("UTC day.")
    events: pl.Int64 = count("Events that day.", ge=1)
    orders: pl.Int64 = count("Orders that day.")
    revenue: pe.Decimal = money("Revenue that day.")

    class Config:
        unique = ("user_id", "activity_date")


class IntOrdersSchema(ModelSchema):
    """intermediate.int_orders: one row per order."""

    order_id: pl.String = key("Order identifier.")
    order_date: pl.Date = required("UTC day of the order.")
    ordered_at: pl.Datetime = required("First purchase event (UTC).")
    user_id: pl.String = required("User.")
    session_key: pl.String = required("Session of the first purchase event.")
    items: pl.Int64 = count("Order lines.", ge=1)
    units: pl.Int64 = count("Units ordered.", ge=1)
    revenue: pe.Decimal = money("Order revenue.")

    @pa.dataframe_check(description="an order has at least as many units as lines")
    def units_cover_items(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("units") >= pl.col("items"))


class IntUserJourneySchema(ModelSchema):
    """intermediate.int_user_journey: one row per user with events (all history)."""

    user_id: pl.String = key("User.")
    first_seen_at: pl.Datetime = required("First event ever (UTC).")
    first_seen_date: pl.Date = required("UTC day of the first event.")
    cohort_week: pl.Date = required("Monday of the first event's week.")
    first_order_id: pl.String = optional("First order, if any.")
    days_to_first_order: pl.Int32 = optional("Days from first seen to first order.", ge=0)
    orders: pl.Int64 = count("Orders over all history.")

    @pa.dataframe_check(description="cohort_week is the Monday on or before first_seen_date")
    def cohort_week_is_the_monday_of_first_seen(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("cohort_week") == pl.col("first_seen_date").dt.truncate("1w")
        )


class IntProductInteractionsSchema(ModelSchema):
    """intermediate.int_product_interactions: one row per UTC day and product with events."""

    activity_date: pl.Date = required("UTC day.")
    product_id: pl.String = required("Product.")
    product_views: pl.Int64 = count("product_view events.")
    add_to_carts: pl.Int64 = count("add_to_cart events.")
    remove_from_carts: pl.Int64 = count("remove_from_cart events.")
    purchases: pl.Int64 = count("purchase events.")
    orders: pl.Int64 = count("Distinct orders.")
    units_sold: pl.Int64 = count("Units sold.")
    revenue: pe.Decimal = money("Revenue.")

    class Config:
        unique = ("activity_date", "product_id")

    @pa.dataframe_check(description="orders never outnumber purchase lines")
    def orders_are_at_most_purchase_lines(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("orders") <= pl.col("purchases"))
