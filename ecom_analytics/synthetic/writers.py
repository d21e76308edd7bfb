"""Landing files from the generator's typed frames: JSON lines (plain or gzip) and Parquet.

JSON lines are assembled column-wise with `ingestion.jsonl`, so optional fields are left out
rather than written as null, and free text (names, emails, cities) is escaped. A small share
of good events uses the accepted variants of SPEC §2.1 (`timestamp`, `price`,
`traffic_source`, fields nested in `properties`, UTC offsets) so that readers meet them.
Parquet files use the canonical columns only, with a real UTC timestamp, DECIMAL(18,2)
money and `properties` as a struct.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from ecom_analytics.ingestion import jsonl, landing
from ecom_analytics.synthetic.faults import FAULT_COLUMN
from ecom_analytics.vocabulary import Reason

FORMATS = ("jsonl", "jsonl.gz", "parquet")
# Shares of good events written with each accepted variant (text formats only).
VARIANT_SHARES = {
    "timestamp_alias": 0.010,
    "price_alias": 0.010,  # priced events only
    "traffic_source_alias": 0.010,  # events with a channel only
    "nested_context": 0.010,  # device, channel, country inside properties
    "nested_product": 0.005,  # product_id, quantity, unit_price inside properties
}
VARIANTS = ("canonical", *VARIANT_SHARES)
OFFSET_SHARE = 0.04  # timestamps written with a UTC offset instead of Z
OFFSETS_MINUTES = (60, 120, -300, 330)
QUANTITY_WORDS = ("zero", "one", "two", "three", "four")


def _field(column: str, value: pl.Expr | None = None) -> pl.Expr:
    """`"column":value`, null when the value is; the value defaults to the column as text.

    The generator makes ids, codes, slugs and timestamps from characters that need no JSON
    escaping, so they are only quoted; free text goes through `jsonl.string`.
    """
    return jsonl.member(column, jsonl.quoted(pl.col(column)) if value is None else value)


def _text(column: str) -> pl.Expr:
    """`"column":"..."` for free text, escaped."""
    return _field(column, jsonl.string(pl.col(column)))


def _money(cents: pl.Expr) -> pl.Expr:
    """Cents as a JSON number with two decimals (`-12.05`)."""
    units = (cents.abs() // 100).cast(pl.String)
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return sign + units + "." + (cents.abs() % 100).cast(pl.String).str.zfill(2)


def _timestamp(ms: pl.Expr, offset_minutes: pl.Expr | None = None) -> pl.Expr:
    """Epoch milliseconds as a quoted ISO-8601 text, in UTC or at the given offset."""
    if offset_minutes is None:
        return jsonl.quoted(pl.from_epoch(ms, "ms").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"))
    local = pl.from_epoch(ms + offset_minutes * 60_000, "ms").dt.strftime("%Y-%m-%dT%H:%M:%S%.3f")
    suffix = offset_minutes.replace_strict(
        [0, *OFFSETS_MINUTES],
        ["Z"]
        + [f"{'+' if m > 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in OFFSETS_MINUTES],
        return_dtype=pl.String,
    )
    return jsonl.quoted(local + suffix)


def _variants(rng: np.random.Generator, frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per row: which accepted variant it is written with (0 = canonical), and its UTC offset."""
    n = frame.height
    good = frame[FAULT_COLUMN].is_null().to_numpy()
    eligible = {
        "price_alias": frame["price_cents"].is_not_null().to_numpy(),
        "traffic_source_alias": frame["channel"].is_not_null().to_numpy(),
        "nested_product": frame["product_id"].is_not_null().to_numpy(),
    }
    u = rng.random(n)
    variant = np.zeros(n, np.int64)
    low = 0.0
    for i, (name, share) in enumerate(VARIANT_SHARES.items(), start=1):
        hit = good & (u >= low) & (u < low + share) & eligible.get(name, True)
        variant[hit] = i
        low += share
    offset = np.where(
        rng.random(n) < OFFSET_SHARE, np.array(OFFSETS_MINUTES)[rng.integers(0, 4, n)], 0
    )
    return variant, offset


def _canonical_event() -> pl.Expr:
    """Lines of good events without a variant: required fields first, in one pass."""
    ts = pl.from_epoch("ts_ms", "ms").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
    app = pl.concat_str([pl.lit("{"), _field("app_version"), pl.lit("}")])
    return jsonl.object_of(
        [
            _field("event_id"),
            _field("event_timestamp", jsonl.quoted(ts)),
            *(_field(c) for c in ("event_type", "user_id", "session_id", "product_id")),
            _field("quantity", jsonl.plain(pl.col("quantity"))),
            _field("unit_price", _money(pl.col("price_cents"))),
            *(_field(c) for c in ("order_id", "device", "channel", "country", "page_url")),
            _field("search_query"),
            _field("properties", app),
        ]
    )


def _special_event() -> pl.Expr:
    """Lines of events written with a variant, a UTC offset or a text-only defect."""
    v = pl.col("_variant")
    fault = pl.col(FAULT_COLUMN)
    is_ = {name: v == i for i, name in enumerate(VARIANTS)}
    quantity = (
        pl.when(fault == Reason.invalid_type("quantity"))
        .then(
            jsonl.quoted(
                pl.col("quantity").replace_strict(range(5), QUANTITY_WORDS, default="several")
            )
        )
        .otherwise(jsonl.plain(pl.col("quantity")))
    )
    price = (
        pl.when(fault == Reason.invalid_type("unit_price"))
        .then(pl.lit('"N/A"'))
        .otherwise(_money(pl.col("price_cents")))
    )
    context = [_field("device"), _field("channel"), _field("country")]
    product = [_field("product_id"), _field("quantity", quantity), _field("unit_price", price)]
    nested = (
        [_field("app_version")]
        + [pl.when(is_["nested_context"]).then(p) for p in context]
        + [pl.when(is_["nested_product"]).then(p) for p in product]
    )
    inner = jsonl.members(nested)
    properties = pl.when(inner != "").then(_field("properties", pl.lit("{") + inner + pl.lit("}")))
    ts = _timestamp(pl.col("ts_ms"), pl.col("_offset"))
    line = jsonl.object_of(
        [
            _field("event_id"),
            pl.when(is_["timestamp_alias"])
            .then(_field("timestamp", ts))
            .otherwise(_field("event_timestamp", ts)),
            *(_field(c) for c in ("event_type", "user_id", "session_id")),
            pl.when(~is_["nested_product"]).then(product[0]),
            pl.when(~is_["nested_product"]).then(product[1]),
            pl.when(is_["price_alias"])
            .then(_field("price", price))
            .when(~is_["nested_product"])
            .then(product[2]),
            _field("order_id"),
            pl.when(~is_["nested_context"]).then(context[0]),
            pl.when(is_["traffic_source_alias"])
            .then(_field("traffic_source", jsonl.quoted(pl.col("channel"))))
            .when(~is_["nested_context"])
            .then(context[1]),
            pl.when(~is_["nested_context"]).then(context[2]),
            _field("page_url"),
            _field("search_query"),
            properties,
        ]
    )
    # A malformed record is its line cut off somewhere between 30% and 80% of its length.
    cut = (line.str.len_chars() * pl.col("_cut")).cast(pl.Int64)
    return pl.when(fault == Reason.MALFORMED_RECORD).then(line.str.head(cut)).otherwise(line)


def event_lines(rng: np.random.Generator, frame: pl.DataFrame) -> pl.Series:
    """One JSON text per event; bad rows keep the defect their fault asks for."""
    variant, offset = _variants(rng, frame)
    # Bad rows go the general way too, so the common path may assume required fields.
    special = (variant > 0) | (offset != 0) | frame[FAULT_COLUMN].is_not_null().to_numpy()
    lines = frame.lazy().select(_canonical_event().alias("line")).collect().to_series()
    rows = np.flatnonzero(special)
    extra = {
        "_variant": variant[rows],
        "_offset": offset[rows],
        "_cut": rng.uniform(0.3, 0.8, rows.size),
    }
    special_lines = frame[rows].with_columns(**extra).select(_special_event()).to_series()
    return lines.scatter(rows, special_lines)


def product_lines(frame: pl.DataFrame) -> pl.Series:
    """One JSON text per product record; names, categories and brands escaped."""
    fields = [
        *(_field(c) for c in ("product_id", "sku")),
        *(_text(c) for c in ("product_name", "category", "subcategory", "brand")),
        _field("list_price", _money(pl.col("list_price_cents"))),
        _field("is_active", jsonl.boolean(pl.col("is_active"))),
        _field("updated_at", _timestamp(pl.col("updated_at_ms"))),
    ]
    return frame.select(jsonl.object_of(fields).alias("line")).to_series()


def user_lines(frame: pl.DataFrame) -> pl.Series:
    """One JSON text per user record; emails and cities escaped."""
    fields = [
        _field("user_id"),
        _text("email"),
        _field("signup_at", _timestamp(pl.col("signup_at_ms"))),
        _field("country"),
        _text("city"),
        *(_field(c) for c in ("acquisition_channel", "loyalty_tier")),
        _field("updated_at", _timestamp(pl.col("updated_at_ms"))),
    ]
    return frame.select(jsonl.object_of(fields).alias("line")).to_series()


def _utc(ms_column: str) -> pl.Expr:
    """Epoch milliseconds as a UTC timestamp."""
    return pl.from_epoch(ms_column, "ms").dt.replace_time_zone("UTC")


def _decimal(cents_column: str) -> pl.Expr:
    """Cents as DECIMAL(18,2) money."""
    return (pl.col(cents_column).cast(pl.Decimal(18, 2)) / 100).cast(pl.Decimal(18, 2))


def event_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The canonical Parquet columns of events."""
    return frame.select(
        "event_id",
        event_timestamp=_utc("ts_ms"),
        event_type="event_type",
        user_id="user_id",
        session_id="session_id",
        product_id="product_id",
        quantity="quantity",
        unit_price=_decimal("price_cents"),
        order_id="order_id",
        device="device",
        channel="channel",
        country="country",
        page_url="page_url",
        search_query="search_query",
        properties=pl.when(pl.col("app_version").is_not_null()).then(
            pl.struct(app_version="app_version")
        ),
    )


def product_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The canonical Parquet columns of product records."""
    return frame.with_columns(
        list_price=_decimal("list_price_cents"), updated_at=_utc("updated_at_ms")
    ).select("product_id", "sku", "product_name", "category", "subcategory", "brand",
             "list_price", "is_active", "updated_at")  # fmt: skip


def user_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The canonical Parquet columns of user records."""
    return frame.with_columns(
        signup_at=_utc("signup_at_ms"), updated_at=_utc("updated_at_ms")
    ).select("user_id", "email", "signup_at", "country", "city", "acquisition_channel",
             "loyalty_tier", "updated_at")  # fmt: skip


def write_table(table: pl.DataFrame, path: Path) -> None:
    """A whole Parquet landing file, appearing at once."""
    landing.write_atomically(path, lambda tmp: table.write_parquet(tmp, compression="zstd"))
