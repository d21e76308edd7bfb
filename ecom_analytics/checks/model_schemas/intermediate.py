"""The rules dbt yml cannot say, checked by Pandera on the intermediate models."""

from __future__ import annotations

import polars as pl

from ecom_analytics.checks.model_schemas.columns import (
    ModelRules,
    channel,
    count,
    device,
    frame_check,
    key,
    money,
    optional,
    required,
)


class IntSessionsRules(ModelRules):
    """intermediate.int_sessions: one row per session (session_id and UTC day)."""

    session_key = key()
    session_id = required()
    session_date = required()
    user_id = required()
    started_at = required()
    ended_at = required()
    duration_seconds = count()
    events = count(ge=1)
    page_views = count()
    product_views = count()
    add_to_carts = count()
    revenue = money()
    device = device()
    channel = channel()

    @frame_check("sessions end no earlier than they start, on their day")
    def sessions_stay_within_their_day() -> pl.Expr:
        return (
            (pl.col("ended_at") >= pl.col("started_at"))
            & (pl.col("started_at").dt.date() == pl.col("session_date"))
            & (pl.col("ended_at").dt.date() == pl.col("session_date"))
        )


class IntUserDailyActivityRules(ModelRules):
    """intermediate.int_user_daily_activity: one row per user and UTC day with events."""

    user_id = required()
    activity_date = required()
    events = count(ge=1)
    orders = count()
    revenue = money()

    unique = ("user_id", "activity_date")


class IntOrdersRules(ModelRules):
    """intermediate.int_orders: one row per order."""

    order_id = key()
    order_date = required()
    ordered_at = required()
    user_id = required()
    session_key = required()
    items = count(ge=1)
    units = count(ge=1)
    revenue = money()

    @frame_check("an order has at least as many units as lines")
    def units_cover_items() -> pl.Expr:
        return pl.col("units") >= pl.col("items")


class IntUserJourneyRules(ModelRules):
    """intermediate.int_user_journey: one row per user with events (all history)."""

    user_id = key()
    first_seen_at = required()
    first_seen_date = required()
    cohort_week = required()
    first_order_id = optional()
    days_to_first_order = optional(ge=0)
    orders = count()

    @frame_check("cohort_week is the Monday on or before first_seen_date")
    def cohort_week_is_the_monday_of_first_seen() -> pl.Expr:
        return pl.col("cohort_week") == pl.col("first_seen_date").dt.truncate("1w")


class IntProductInteractionsRules(ModelRules):
    """intermediate.int_product_interactions: one row per UTC day and product with events."""

    activity_date = required()
    product_id = required()
    product_views = count()
    add_to_carts = count()
    remove_from_carts = count()
    purchases = count()
    orders = count()
    units_sold = count()
    revenue = money()

    unique = ("activity_date", "product_id")

    @frame_check("orders never outnumber purchase lines")
    def orders_are_at_most_purchase_lines() -> pl.Expr:
        return pl.col("orders") <= pl.col("purchases")
