"""Pandera schema of marts.fct_refunds, the refunds that net revenue subtracts."""

from __future__ import annotations

import polars as pl
from pandera.engines import polars_engine as pe

from ecom_analytics.checks.model_schemas.columns import ModelSchema, count, key, money, required


class FctRefundsSchema(ModelSchema):
    """marts.fct_refunds: one row per refund event."""

    event_id: pl.String = key("Refund event.")
    order_id: pl.String = required("Order the refund names.")
    refund_date: pl.Date = required("UTC day of the refund.")
    user_id: pl.String = required("User refunded.")
    product_id: pl.String = required("Product returned.")
    units: pl.Int64 = count("Units returned.", ge=1)
    refunded_revenue: pe.Decimal = money("units × unit_price.")
    order_found: pl.Boolean = required("The order is in the warehouse.")
