"""Landing files from the generator's typed frames: JSON lines (plain or gzip) and Parquet.

JSON lines are assembled column-wise as text, so optional fields are left out rather than
written as null. A small share of good events uses the accepted variants of SPEC §2.1
(`timestamp`, `price`, `traffic_source`, fields nested in `properties`, UTC offsets) so
that readers meet them. Parquet files use the canonical columns only, with a real UTC
timestamp, DECIMAL(18,2) money and `properties` as a struct.
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import numpy as np
import polars as pl

from ecom_analytics.synthetic.faults import FAULT_COLUMN
from ecom_analytics.vocabulary import Reason

FORMATS = ("jsonl", "jsonl.gz", "parquet")
GZIP_LEVEL = 1  # the landing zone favours write speed; files still shrink about 7x
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


def _q(text: pl.Expr) -> pl.Expr:
    return pl.lit('"') + text + pl.lit('"')


def _escaped(column: str) -> pl.Expr:
    text = pl.col(column).str.replace_all("\\", "\\\\", literal=True)
    return _q(text.str.replace_all('"', '\\"', literal=True))


def _kv(key: str, value: pl.Expr) -> pl.Expr:
    return pl.lit(f'"{key}":') + value


def _money(cents: pl.Expr) -> pl.Expr:
    units = (cents.abs() // 100).cast(pl.String)
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return sign + units + "." + (cents.abs() % 100).cast(pl.String).str.zfill(2)


def _timestamp(ms: pl.Expr, offset_minutes: pl.Expr | None = None) -> pl.Expr:
    if offset_minutes is None:
        return _q(pl.from_epoch(ms, "ms").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"))
    local = pl.from_epoch(ms + offset_minutes * 60_000, "ms").dt.strftime("%Y-%m-%dT%H:%M:%S%.3f")
    suffix = offset_minutes.replace_strict(
        [0, *OFFSETS_MINUTES],
        ["Z"]
        + [f"{'+' if m > 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in OFFSETS_MINUTES],
        return_dtype=pl.String,
    )
    return _q(local + suffix)


def _object(pieces: list[pl.Expr]) -> pl.Expr:
    return pl.lit("{") + pl.concat_str(pieces, separator=",", ignore_nulls=True) + pl.lit("}")


def _variants(rng: np.random.Generator, frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
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


def _string(column: str) -> pl.Expr:
    return pl.concat_str([pl.lit(f'"{column}":"'), pl.col(column), pl.lit('"')])


def _optional(column: str, value: pl.Expr | None = None) -> pl.Expr:
    """`,"column":value`, or null when the value is absent."""
    value = _q(pl.col(column)) if value is None else value
    return pl.concat_str([pl.lit(f',"{column}":'), value])


def _canonical_event() -> pl.Expr:
    """Lines of good events without a variant: required fields first, in one pass."""
    ts = pl.from_epoch("ts_ms", "ms").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
    app = pl.concat_str([pl.lit('{"app_version":"'), pl.col("app_version"), pl.lit('"}')])
    optional = [
        _optional("session_id"),
        _optional("product_id"),
        _optional("quantity", pl.col("quantity").cast(pl.String)),
        _optional("unit_price", _money(pl.col("price_cents"))),
        *(_optional(c) for c in ("order_id", "device", "channel", "country", "page_url")),
        _optional("search_query"),
        _optional("properties", app),
    ]
    return pl.concat_str(
        [
            pl.lit('{"event_id":"'),
            pl.col("event_id"),
            pl.lit('","event_timestamp":"'),
            ts,
            pl.lit('","event_type":"'),
            pl.col("event_type"),
            pl.lit('","user_id":"'),
            pl.col("user_id"),
            pl.lit('"'),
            pl.concat_str(optional, ignore_nulls=True),
            pl.lit("}"),
        ]
    )


def _special_event() -> pl.Expr:
    """Lines of events written with a variant, a UTC offset or a text-only defect."""
    v = pl.col("_variant")
    fault = pl.col(FAULT_COLUMN)
    is_ = {name: v == i for i, name in enumerate(VARIANTS)}
    quantity = (
        pl.when(fault == Reason.invalid_type("quantity"))
        .then(_q(pl.col("quantity").replace_strict(range(5), QUANTITY_WORDS, default="several")))
        .otherwise(pl.col("quantity").cast(pl.String))
    )
    price = (
        pl.when(fault == Reason.invalid_type("unit_price"))
        .then(pl.lit('"N/A"'))
        .otherwise(_money(pl.col("price_cents")))
    )
    context = [_string("device"), _string("channel"), _string("country")]
    product = [_string("product_id"), _kv("quantity", quantity), _kv("unit_price", price)]
    nested = (
        [_string("app_version")]
        + [pl.when(is_["nested_context"]).then(p) for p in context]
        + [pl.when(is_["nested_product"]).then(p) for p in product]
    )
    inner = pl.concat_str(nested, separator=",", ignore_nulls=True)
    properties = pl.when(inner != "").then(_kv("properties", pl.lit("{") + inner + pl.lit("}")))
    ts = _timestamp(pl.col("ts_ms"), pl.col("_offset"))
    line = _object(
        [
            _string("event_id"),
            pl.when(is_["timestamp_alias"])
            .then(_kv("timestamp", ts))
            .otherwise(_kv("event_timestamp", ts)),
            _string("event_type"),
            _string("user_id"),
            _string("session_id"),
            pl.when(~is_["nested_product"]).then(product[0]),
            pl.when(~is_["nested_product"]).then(product[1]),
            pl.when(is_["price_alias"])
            .then(_kv("price", price))
            .when(~is_["nested_product"])
            .then(product[2]),
            _string("order_id"),
            pl.when(~is_["nested_context"]).then(context[0]),
            pl.when(is_["traffic_source_alias"])
            .then(_kv("traffic_source", _q(pl.col("channel"))))
            .when(~is_["nested_context"])
            .then(context[1]),
            pl.when(~is_["nested_context"]).then(context[2]),
            _string("page_url"),
            _string("search_query"),
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
    fields = [
        _kv("product_id", _q(pl.col("product_id"))),
        _kv("sku", _q(pl.col("sku"))),
        _kv("product_name", _escaped("product_name")),
        _kv("category", _escaped("category")),
        _kv("subcategory", _escaped("subcategory")),
        _kv("brand", _escaped("brand")),
        _kv("list_price", _money(pl.col("list_price_cents"))),
        _kv(
            "is_active",
            pl.when(pl.col("is_active")).then(pl.lit("true")).otherwise(pl.lit("false")),
        ),
        _kv("updated_at", _timestamp(pl.col("updated_at_ms"))),
    ]
    return frame.select(_object(fields).alias("line")).to_series()


def user_lines(frame: pl.DataFrame) -> pl.Series:
    fields = [
        _kv("user_id", _q(pl.col("user_id"))),
        _kv("email", _escaped("email")),
        _kv("signup_at", _timestamp(pl.col("signup_at_ms"))),
        _kv("country", _q(pl.col("country"))),
        _kv("city", _escaped("city")),
        _kv("acquisition_channel", _q(pl.col("acquisition_channel"))),
        _kv("loyalty_tier", _q(pl.col("loyalty_tier"))),
        _kv("updated_at", _timestamp(pl.col("updated_at_ms"))),
    ]
    return frame.select(_object(fields).alias("line")).to_series()


def _utc(ms_column: str) -> pl.Expr:
    return pl.from_epoch(ms_column, "ms").dt.replace_time_zone("UTC")


def _decimal(cents_column: str) -> pl.Expr:
    return (pl.col(cents_column).cast(pl.Decimal(18, 2)) / 100).cast(pl.Decimal(18, 2))


def event_table(frame: pl.DataFrame) -> pl.DataFrame:
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
    return frame.with_columns(
        list_price=_decimal("list_price_cents"), updated_at=_utc("updated_at_ms")
    ).select("product_id", "sku", "product_name", "category", "subcategory", "brand",
             "list_price", "is_active", "updated_at")  # fmt: skip


def user_table(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        signup_at=_utc("signup_at_ms"), updated_at=_utc("updated_at_ms")
    ).select("user_id", "email", "signup_at", "country", "city", "acquisition_channel",
             "loyalty_tier", "updated_at")  # fmt: skip


def write_lines(lines: pl.Series, path: Path) -> None:
    """One text per line; `.gz` paths are gzip-compressed."""
    frame = lines.to_frame("line")
    if not path.name.endswith(".gz"):
        _atomic_write(path, lambda tmp: _write_raw_lines(frame, tmp))
        return
    buffer = io.BytesIO()
    _write_raw_lines(frame, buffer)
    # mtime=0 and no file name in the header keep the bytes reproducible.
    data = gzip.compress(buffer.getvalue(), compresslevel=GZIP_LEVEL, mtime=0)
    _atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _write_raw_lines(frame: pl.DataFrame, target) -> None:
    # A one-column CSV without header or quoting is exactly the lines, newline-terminated.
    frame.write_csv(target, include_header=False, quote_style="never")


def write_table(table: pl.DataFrame, path: Path) -> None:
    _atomic_write(path, lambda tmp: table.write_parquet(tmp, compression="zstd"))


def _atomic_write(path: Path, write) -> None:
    # A sensor may list the folder at any time: files appear whole or not at all.
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)
