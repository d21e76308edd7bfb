"""Pandera schemas of the dimension marts (dbt schema `marts`)."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine as pe

from ecom_analytics import vocabulary
from ecom_analytics.checks.model_schemas.columns import ModelSchema, key, money, optional, required


class DimUsersSchema(ModelSchema):
    """marts.dim_users: one row per user and valid_from (SCD type 2)."""

    user_id: pl.String = required("User.")
    valid_from: pl.Datetime = required("Version start (UTC).")
    valid_to: pl.Datetime = optional("Version end (UTC); null while current.")
    is_current: pl.Boolean = required("Latest version.")
    email_hash: pl.String = optional("SHA-256 hex.", str_matches=r"^[0-9a-f]{64}$")
    loyalty_tier: pl.String = optional("Loyalty tier.", isin=list(vocabulary.LOYALTY_TIERS))

    class Config:
        unique = ("user_id", "valid_from")

    @pa.dataframe_check(description="a version is current exactly when it is open, and not empty")
    def versions_are_well_formed(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("is_current") == pl.col("valid_to").is_null())
            & (pl.col("valid_to").is_null() | (pl.col("valid_to") > pl.col("valid_from")))
        )


class DimProductsSchema(ModelSchema):
    """marts.dim_products: one row per product (latest record)."""

    product_id: pl.String = key("Product.")
    list_price: pe.Decimal = money("Latest list price.", nullable=True)
    is_active: pl.Boolean = optional("On sale.")


class DimDateSchema(ModelSchema):
    """marts.dim_date: one row per day between the first and last day with events."""

    date_day: pl.Date = key("The day.")
    day_of_week: pl.Int32 = required("ISO day of week.", ge=1, le=7)
    iso_week: pl.Int32 = required("ISO week.", ge=1, le=53)
    week_start: pl.Date = required("Monday of the week.")
    month: pl.Int32 = required("Month.", ge=1, le=12)
    quarter: pl.Int32 = required("Quarter.", ge=1, le=4)
    year: pl.Int32 = required("Year.")
    is_weekend: pl.Boolean = required("Saturday or Sunday.")
