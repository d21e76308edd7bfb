"""The rules dbt yml cannot say, checked by Pandera on the staging models (schema `staging`)."""

from __future__ import annotations

import polars as pl

from ecom_analytics import vocabulary
from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules, frame_check


class StgEventsRules(ModelRules):
    """staging.stg_events: one row per valid event."""

    event_id = col.key()
    event_at = col.required()
    event_date = col.required()
    event_type = col.required(isin=list(vocabulary.EVENT_TYPES))
    user_id = col.required()
    session_id = col.optional()
    product_id = col.optional()
    quantity = col.optional(ge=1)
    unit_price = col.money(nullable=True)
    order_id = col.optional()
    device = col.device()
    channel = col.channel()
    partition_date = col.required()

    @frame_check("event_date equals partition_date")
    def events_fall_in_their_partition() -> pl.Expr:
        return pl.col("event_date") == pl.col("partition_date")


class StgProductsRules(ModelRules):
    """staging.stg_products: one row per product and partition_date (latest record)."""

    product_id = col.required()
    partition_date = col.required()
    list_price = col.money(nullable=True)
    records_in_day = col.count(ge=1)

    unique = ("product_id", "partition_date")


class StgUsersRules(ModelRules):
    """staging.stg_users: one row per user and partition_date (latest record, email hashed)."""

    user_id = col.required()
    partition_date = col.required()
    email_hash = col.optional(str_matches=r"^[0-9a-f]{64}$")
    loyalty_tier = col.optional(isin=list(vocabulary.LOYALTY_TIERS))
    records_in_day = col.count(ge=1)

    unique = ("user_id", "partition_date")


class StgQuarantineRules(ModelRules):
    """staging.stg_quarantine: one row per quarantined record, without its raw text."""

    source = col.required(isin=list(vocabulary.SOURCES))
    partition_date = col.required()
    reasons = col.required()
