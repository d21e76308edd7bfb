"""Pandera (polars) schemas of the stored Python-built tables, run as asset checks on each
partition's rows after it is written: they re-check what the warehouse actually holds."""

from __future__ import annotations

from datetime import date, datetime

import pandera.polars as pa
import polars as pl

from ecom_analytics import vocabulary as v
from ecom_analytics.vocabulary import Reason

_FIELD_REASON_PATTERN = (
    rf"^({Reason.MISSING_REQUIRED_FIELD}|{Reason.INVALID_TYPE}|{Reason.INVALID_VALUE}):\w+$"
)
_PLAIN_REASONS = [
    value
    for name, value in vars(Reason).items()
    if name.isupper()
    and value not in {Reason.MISSING_REQUIRED_FIELD, Reason.INVALID_TYPE, Reason.INVALID_VALUE}
]


class RawRecordSchema(pa.DataFrameModel):
    """raw.<source>: one row per record read from a landing file, as landed."""

    partition_date: date = pa.Field(nullable=False, description="Landing folder's UTC day")
    source_file: str = pa.Field(nullable=False, description="File, relative to the landing root")
    source_line: int = pa.Field(ge=0, description="1-based line or row; 0 for a whole file")
    raw_record: str = pa.Field(nullable=True, description="The record exactly as landed")
    read_error: str = pa.Field(nullable=True, description="Why the file could not be read")

    @pa.dataframe_check(name="record_or_read_error")
    def record_or_read_error(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("raw_record").is_not_null() | pl.col("read_error").is_not_null()
        )

    @pa.dataframe_check(name="one_row_per_file_line")
    def one_row_per_file_line(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.struct("source_file", "source_line").is_duplicated())


class ValidatedEventSchema(pa.DataFrameModel):
    """validated.events: one row per valid event."""

    event_id: str = pa.Field(nullable=False, unique=True, description="Event id")
    event_timestamp: datetime = pa.Field(nullable=False, description="When, UTC")
    event_type: str = pa.Field(isin=v.EVENT_TYPES, description="What happened")
    user_id: str = pa.Field(nullable=False, description="Who")
    quantity: pl.Int32 = pa.Field(nullable=True, ge=1, description="Units")
    unit_price: pl.Decimal(18, 2) = pa.Field(
        nullable=True, ge=0, description="Unit price; 0 is a free item"
    )
    device: str = pa.Field(nullable=True, isin=v.DEVICES, description="Device class")
    channel: str = pa.Field(nullable=True, isin=v.CHANNELS, description="Marketing channel")
    partition_date: date = pa.Field(nullable=False, description="Landing folder's UTC day")

    @pa.dataframe_check(name="timestamp_inside_partition")
    def timestamp_inside_partition(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("event_timestamp").dt.date() == pl.col("partition_date")
        )

    @pa.dataframe_check(name="priced_events_have_product_quantity_and_price")
    def priced_events_are_complete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        priced = pl.col("event_type").is_in(v.PRICED_EVENT_TYPES)
        complete = pl.all_horizontal(
            pl.col(name).is_not_null() for name in ("product_id", "quantity", "unit_price")
        )
        return data.lazyframe.select(~priced | complete)


class ValidatedProductSchema(pa.DataFrameModel):
    """validated.products: one row per valid product record (several per product and day)."""

    product_id: str = pa.Field(nullable=False, description="Product id")
    product_name: str = pa.Field(nullable=True, description="Display name")
    category: str = pa.Field(nullable=True, description="Top-level category")
    list_price: pl.Decimal(18, 2) = pa.Field(
        nullable=True, ge=0, description="Catalogue price, when the source gives one"
    )
    # dim_products picks the latest record by it.
    updated_at: datetime = pa.Field(nullable=False, description="When the record changed, UTC")
    partition_date: date = pa.Field(nullable=False, description="Landing folder's UTC day")


class ValidatedUserSchema(pa.DataFrameModel):
    """validated.users: one row per valid user record (several per user and day)."""

    user_id: str = pa.Field(nullable=False, description="User id")
    loyalty_tier: str = pa.Field(nullable=True, isin=v.LOYALTY_TIERS, description="Tier")
    # dim_users opens a version at it (valid_from, not null).
    updated_at: datetime = pa.Field(nullable=False, description="When the record changed, UTC")
    partition_date: date = pa.Field(nullable=False, description="Landing folder's UTC day")


class QuarantineSchema(pa.DataFrameModel):
    """quality.quarantine: one row per quarantined record, with every reason that applies."""

    source: str = pa.Field(isin=v.SOURCES, description="events, products or users")
    partition_date: date = pa.Field(nullable=False, description="Landing folder's UTC day")
    source_file: str = pa.Field(nullable=False, description="File it came from")
    source_line: int = pa.Field(ge=0, description="Line or row; 0 for a whole file")

    @pa.dataframe_check(name="every_row_has_known_reasons")
    def every_row_has_known_reasons(cls, data: pa.PolarsData) -> pl.LazyFrame:
        known = pl.element().is_in(_PLAIN_REASONS) | pl.element().str.contains(
            _FIELD_REASON_PATTERN
        )
        return data.lazyframe.select(
            (pl.col("reasons").list.len() > 0) & pl.col("reasons").list.eval(known).list.all()
        )
