"""REES46 / Open CDP e-commerce clickstream CSV (one row per event).

Choices the format forces (see docs/data_dictionary.md): a cart, removal or purchase row is one
unit, as the format has no quantity; a purchase's order is the user_session of that UTC
day, as the format has no order id; `category_code` splits at its first dot into category
and subcategory; `category_id` is kept in `properties`.
"""

from __future__ import annotations

import polars as pl

from ecom_analytics.importers.base import SourceFormat
from ecom_analytics.vocabulary import PRICED_EVENT_TYPES

FULL_LAYOUT = (
    "event_time",
    "event_type",
    "product_id",
    "category_id",
    "category_code",
    "brand",
    "price",
    "user_id",
    "user_session",
)
# Some published months leave out the category and brand columns.
SHORT_LAYOUT = ("event_time", "event_type", "product_id", "price", "user_id", "user_session")

EVENT_TYPES = {
    "view": "product_view",
    "cart": "add_to_cart",
    "remove_from_cart": "remove_from_cart",
    "purchase": "purchase",
}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S")


def map_rows(rows: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in FULL_LAYOUT if c not in rows.columns]
    rows = rows.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
    # Unknown types pass through unchanged so validation reports them as unknown_event_type.
    event_type = pl.col("event_type").replace(EVENT_TYPES)
    ts = pl.coalesce(
        pl.col("event_time").str.strptime(pl.Datetime("us"), fmt, strict=False)
        for fmt in TIME_FORMATS
    )
    order_owner = pl.coalesce(pl.col("user_session"), pl.format("user-{}", pl.col("user_id")))
    category = pl.col("category_code").str.splitn(".", 2)
    return rows.select(
        ts=ts,
        event_timestamp=pl.col("event_time"),
        event_type=event_type,
        user_id=pl.col("user_id"),
        session_id=pl.col("user_session"),
        product_id=pl.col("product_id"),
        quantity=pl.when(event_type.is_in(PRICED_EVENT_TYPES)).then(pl.lit("1")),
        unit_price=pl.col("price"),
        order_id=pl.when(event_type == "purchase").then(
            pl.format("{}:{}", order_owner, ts.dt.strftime("%Y-%m-%d"))
        ),
        category=category.struct.field("field_0"),
        subcategory=category.struct.field("field_1"),
        brand=pl.col("brand"),
        **{"properties.category_id": pl.col("category_id")},
    )


FORMAT = SourceFormat(
    name="rees46",
    layouts=(FULL_LAYOUT, SHORT_LAYOUT),
    map_rows=map_rows,
    product_attributes=("category", "subcategory", "brand"),
)
