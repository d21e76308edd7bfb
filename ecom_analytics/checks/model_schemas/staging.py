"""The rules dbt yml cannot say, checked by Pandera on the staging models (schema `staging`)."""

from __future__ import annotations

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
    optional,
    required,
)


class StgEventsRules(ModelRules):
    """staging.stg_events: one row per valid event."""

    event_id = key()
    event_at = required()
    event_date = required()
    event_type = required(isin=list(vocabulary.EVENT_TYPES))
    user_id = required()
    session_id = optional()
    product_id = optional()
    quantity = optional(ge=1)
    unit_price = money(nullable=True)
    order_id = optional()
    device = device()
    channel = channel()
    partition_date = required()

    @frame_check("event_date equals partition_date")
    def events_fall_in_their_partition() -> pl.Expr:
        return pl.col("event_date") == pl.col("partition_date")


class StgProductsRules(ModelRules):
    """staging.stg_products: one row per product and partition_date (latest record)."""

    product_id = required()
    partition_date = required()
    list_price = money(nullable=True)
    records_in_day = count(ge=1)

    unique = ("product_id", "partition_date")


class StgUsersRules(ModelRules):
    """staging.stg_users: one row per user and partition_date (latest record, email hashed)."""

    user_id = required()
    partition_date = required()
    email_hash = optional(str_matches=r"^[0-9a-f]{64}$")
    loyalty_tier = optional(isin=list(vocabulary.LOYALTY_TIERS))
    records_in_day = count(ge=1)

    unique = ("user_id", "partition_date")


class StgQuarantineRules(ModelRules):
    """staging.stg_quarantine: one row per quarantined record, without its raw text."""

    source = required(isin=list(vocabulary.SOURCES))
    partition_date = required()
    reasons = required()
