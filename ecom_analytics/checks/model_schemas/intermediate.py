"""The rules dbt yml cannot say, checked by Pandera on the intermediate models."""

from __future__ import annotations

import polars as pl

from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules, frame_check


class SessionColumns(ModelRules):
    """The columns int_sessions and fct_sessions share, one row per session."""

    session_key = col.key()
    session_id = col.required()
    session_date = col.required()
    user_id = col.required()
    started_at = col.required()
    ended_at = col.required()
    duration_seconds = col.count()
    events = col.count(ge=1)
    page_views = col.count()
    product_views = col.count()
    revenue = col.money()
    device = col.device()
    channel = col.channel()


class IntSessionsRules(SessionColumns):
    """intermediate.int_sessions: one row per session (session_id and UTC day)."""

    add_to_carts = col.count()

    @frame_check("sessions end no earlier than they start, on their day")
    def sessions_stay_within_their_day() -> pl.Expr:
        return (
            (pl.col("ended_at") >= pl.col("started_at"))
            & (pl.col("started_at").dt.date() == pl.col("session_date"))
            & (pl.col("ended_at").dt.date() == pl.col("session_date"))
        )


class IntUserDailyActivityRules(ModelRules):
    """intermediate.int_user_daily_activity: one row per user and UTC day with events."""

    user_id = col.required()
    activity_date = col.required()
    events = col.count(ge=1)
    orders = col.count()
    revenue = col.money()

    unique = ("user_id", "activity_date")


class IntUserRecordDaysRules(ModelRules):
    """intermediate.int_user_record_days: one row per user and landing day that held a record
    of the user, now or before the day was replaced."""

    user_id = col.required()
    partition_date = col.required()

    unique = ("user_id", "partition_date")


class OrderColumns(ModelRules):
    """The columns int_orders and fct_orders share, one row per order."""

    order_id = col.key()
    order_date = col.required()
    ordered_at = col.required()
    user_id = col.required()
    session_key = col.required()
    items = col.count(ge=1)
    units = col.count(ge=1)
    revenue = col.money()


class IntOrdersRules(OrderColumns):
    """intermediate.int_orders: one row per order."""

    @frame_check("an order has at least as many units as lines")
    def units_cover_items() -> pl.Expr:
        return pl.col("units") >= pl.col("items")


class IntUserJourneyRules(ModelRules):
    """intermediate.int_user_journey: one row per user with events (all history)."""

    user_id = col.key()
    first_seen_at = col.required()
    first_seen_date = col.required()
    cohort_week = col.required()
    first_order_id = col.optional()
    days_to_first_order = col.optional(ge=0)
    orders = col.count()

    @frame_check("cohort_week is the Monday on or before first_seen_date")
    def cohort_week_is_the_monday_of_first_seen() -> pl.Expr:
        return pl.col("cohort_week") == pl.col("first_seen_date").dt.truncate("1w")


class ProductDayColumns(ModelRules):
    """The columns int_product_interactions and fct_product_daily share, one row per UTC day
    and product with events."""

    activity_date = col.required()
    product_id = col.required()
    product_views = col.count()
    add_to_carts = col.count()
    orders = col.count()
    units_sold = col.count()
    revenue = col.money()

    unique = ("activity_date", "product_id")


class IntProductInteractionsRules(ProductDayColumns):
    """intermediate.int_product_interactions: one row per UTC day and product with events."""

    remove_from_carts = col.count()
    purchases = col.count()

    @frame_check("orders never outnumber purchase lines")
    def orders_are_at_most_purchase_lines() -> pl.Expr:
        return pl.col("orders") <= pl.col("purchases")
