"""Pandera schemas of the staging models (dbt schema `staging`)."""

from __future__ import annotations

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
    optional,
    required,
)


class StgEventsSchema(ModelSchema):
    """staging.stg_events: one row per valid event."""

    event_id: pl.String = key("Event identifier, unique across all days.")
    event_at: pl.Datetime = required("When the event happened (UTC).")
    event_date: pl.Date = required("UTC day of event_at.")
    event_type: pl.String = required("Event type.", isin=list(vocabulary.EVENT_TYPES))
    user_id: pl.String = required("User.")
    session_id: pl.String = optional("Tracker session id; null when derived.")
    product_id: pl.String = optional("Product of product events.")
    quantity: pl.Int32 = optional("Units of cart and purchase events.", ge=1)
    unit_price: pe.Decimal = money("Price per unit of cart and purchase events.", nullable=True)
    order_id: pl.String = optional("Order of a purchase event.")
    device: pl.String = device()
    channel: pl.String = channel()
    partition_date: pl.Date = required("The landing folder's UTC day.")

    @pa.dataframe_check(description="event_date equals partition_date")
    def events_fall_in_their_partition(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("event_date") == pl.col("partition_date"))


class StgProductsSchema(ModelSchema):
    """staging.stg_products: one row per product and partition_date (latest record)."""

    product_id: pl.String = required("Product identifier.")
    partition_date: pl.Date = required("The landing folder's UTC day.")
    list_price: pe.Decimal = money("Catalogue price.", nullable=True)
    records_in_day: pl.Int64 = count("Valid records of the product that day.", ge=1)

    class Config:
        unique = ("product_id", "partition_date")


class StgUsersSchema(ModelSchema):
    """staging.stg_users: one row per user and partition_date (latest record, email hashed)."""

    user_id: pl.String = required("User identifier.")
    partition_date: pl.Date = required("The landing folder's UTC day.")
    email_hash: pl.String = optional(
        "SHA-256 hex of the lower-cased email.", str_matches=r"^[0-9a-f]{64}$"
    )
    loyalty_tier: pl.String = optional("Loyalty tier.", isin=list(vocabulary.LOYALTY_TIERS))
    records_in_day: pl.Int64 = count("Valid records of the user that day.", ge=1)

    class Config:
        unique = ("user_id", "partition_date")


class StgQuarantineSchema(ModelSchema):
    """staging.stg_quarantine: one row per quarantined record, without its raw text."""

    source: pl.String = required("events, products or users.", isin=list(vocabulary.SOURCES))
    partition_date: pl.Date = required("The landing folder's UTC day.")
    reasons: pl.List = required("Reason codes.")
