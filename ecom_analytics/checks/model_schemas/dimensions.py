"""The rules dbt yml cannot say, checked by Pandera on the dimension marts."""

from __future__ import annotations

import polars as pl

from ecom_analytics import vocabulary
from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules, frame_check


class DimUsersRules(ModelRules):
    """marts.dim_users: one row per user and valid_from (SCD type 2)."""

    user_id = col.required()
    valid_from = col.required()
    valid_to = col.optional()
    is_current = col.required()
    email_hash = col.optional(str_matches=r"^[0-9a-f]{64}$")
    loyalty_tier = col.optional(isin=list(vocabulary.LOYALTY_TIERS))

    unique = ("user_id", "valid_from")

    @frame_check("a version is current exactly when it is open, and not empty")
    def versions_are_well_formed() -> pl.Expr:
        return (pl.col("is_current") == pl.col("valid_to").is_null()) & (
            pl.col("valid_to").is_null() | (pl.col("valid_to") > pl.col("valid_from"))
        )


class DimProductsRules(ModelRules):
    """marts.dim_products: one row per product (latest record)."""

    product_id = col.key()
    list_price = col.money(nullable=True)
    is_active = col.optional()


class DimDateRules(ModelRules):
    """marts.dim_date: one row per day between the first and last day with events."""

    date_day = col.key()
    day_of_week = col.required(ge=1, le=7)
    iso_week = col.required(ge=1, le=53)
    week_start = col.required()
    month = col.required(ge=1, le=12)
    quarter = col.required(ge=1, le=4)
    year = col.required()
    is_weekend = col.required()
