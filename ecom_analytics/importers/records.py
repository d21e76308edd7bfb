"""The product and user records that imported events imply, one version per change.

A key's state on a day is taken from its first row that day (by event time, then source
file name, then line); for products, the first row with a positive price, when there is
one. A record lands on the first day a key is seen and again on every later day whose
state differs from the last one landed. A value the source leaves empty keeps the key's
last known value, so a file without brands does not erase brands another file gave.
"""

from __future__ import annotations

import polars as pl

from ecom_analytics.ingestion import jsonl

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
_ORDER = ("ts", "source", "line_no")


def product_candidates(events: pl.DataFrame, attributes: tuple[str, ...]) -> pl.DataFrame:
    """Each product's state row per day within one chunk of mapped rows."""
    price = pl.col("unit_price").cast(pl.Float64, strict=False)
    usable = (price > 0).fill_null(False) & price.is_finite().fill_null(False)
    rows = events.filter(pl.col("ts").is_not_null() & pl.col("product_id").is_not_null()).select(
        "product_id", *attributes, "unit_price", usable.alias("has_price"), *_ORDER, "day"
    )
    return reduce_products(rows)


def reduce_products(rows: pl.DataFrame) -> pl.DataFrame:
    priced_first = [False, False, True, *(False for _ in _ORDER)]
    ordered = rows.sort(["product_id", "day", "has_price", *_ORDER], descending=priced_first)
    return ordered.unique(["product_id", "day"], keep="first", maintain_order=True)


def user_candidates(events: pl.DataFrame, attributes: tuple[str, ...]) -> pl.DataFrame:
    """Each user's state row per day within one chunk of mapped rows."""
    rows = events.filter(pl.col("ts").is_not_null() & pl.col("user_id").is_not_null()).select(
        "user_id", *attributes, *_ORDER, "day"
    )
    return reduce_users(rows)


def reduce_users(rows: pl.DataFrame) -> pl.DataFrame:
    ordered = rows.sort(["user_id", "day", *_ORDER])
    return ordered.unique(["user_id", "day"], keep="first", maintain_order=True)


def product_records(states: pl.DataFrame, attributes: tuple[str, ...]) -> pl.DataFrame:
    """Product versions to land: `day`, `source`, `line` (JSON text), sorted by product."""
    first_day = pl.col("day") == pl.col("day").min().over("product_id")
    # Days on which a product was only seen without a usable price say nothing about it,
    # except on its first day: it must exist in the catalogue from then on.
    kept = reduce_products(states).filter(pl.col("has_price") | first_day)
    kept = kept.with_columns(
        pl.when("has_price").then("unit_price").alias("list_price"),
        pl.when("has_price").then(pl.col("unit_price").cast(pl.Float64, strict=False)).alias("_p"),
    )
    versions = _changes(kept, "product_id", (*attributes, "_p"))
    fields = {
        "product_id": jsonl.string(pl.col("product_id")),
        **{a: jsonl.string(pl.col(a)) for a in attributes},
        "list_price": jsonl.number_text(pl.col("list_price")),
        "updated_at": jsonl.string(pl.col("ts").dt.strftime(ISO_UTC)),
    }
    return versions.select("day", "source", line=jsonl.object_of(fields))


def user_records(states: pl.DataFrame, attributes: tuple[str, ...]) -> pl.DataFrame:
    """User versions to land: `day`, `source`, `line` (JSON text), sorted by user."""
    versions = _changes(reduce_users(states), "user_id", attributes)
    fields = {
        "user_id": jsonl.string(pl.col("user_id")),
        **{a: jsonl.string(pl.col(a)) for a in attributes},
        "updated_at": jsonl.string(pl.col("ts").dt.strftime(ISO_UTC)),
    }
    return versions.select("day", "source", line=jsonl.object_of(fields))


def _changes(states: pl.DataFrame, key: str, attributes: tuple[str, ...]) -> pl.DataFrame:
    filled = states.sort([key, "day"]).with_columns(
        pl.col(a).forward_fill().over(key) for a in attributes
    )
    changed = pl.col("day") == pl.col("day").min().over(key)
    for a in attributes:
        changed = changed | pl.col(a).ne_missing(pl.col(a).shift(1).over(key))
    return filled.filter(changed)
