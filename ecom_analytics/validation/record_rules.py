"""Pandera (polars) schemas for candidate records: every rule of SPEC §2–3 in one place.

Each schema is built for one partition, because two rules depend on it: a timestamp must fall
inside the folder's day, and no record time may be later than the end of that day (never
the wall clock: the same files always give the same result). Column checks
report `invalid_value:<field>` (or `unknown_event_type`); frame-level checks are named by the
reason code they report, so a failure case maps straight to a quarantine reason.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandera.polars as pa
import polars as pl

from ecom_analytics import vocabulary as v
from ecom_analytics.validation.extract import IS_RECORD, STRUCTURED_SUFFIX
from ecom_analytics.validation.fields import SOURCE_FIELDS
from ecom_analytics.vocabulary import Reason

COUNTRY_PATTERN = r"^[A-Z]{2}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# Set by the pipeline from lookups against what is already in the warehouse.
IS_DUPLICATE = "is_duplicate_event_id"
IS_KNOWN_PRODUCT = "is_known_product"

# Column checks that report something other than `invalid_value:<column>`.
_TYPED_FIELDS = {
    field.name for spec in SOURCE_FIELDS.values() for field in spec.fields if field.kind != "string"
}

COLUMN_REASONS = {
    "event_type": Reason.UNKNOWN_EVENT_TYPE,
    "unit_price_value": Reason.invalid_value("unit_price"),
    "list_price_value": Reason.invalid_value("list_price"),
}


def _rule(reason: str, expr: pl.Expr) -> pa.Check:
    """A frame-level check, true where a row passes, named by the reason it reports."""
    return pa.Check(lambda data: data.lazyframe.select(expr), name=reason)


def _has_two_places(data: pa.PolarsData) -> pl.LazyFrame:
    cents = pl.col(data.key) * 100
    return data.lazyframe.select((cents - cents.round(0)).abs() < 1e-6)


def _price(description: str) -> pa.Column:
    # 0 is a free item (a sample, a gift), not an error (SPEC §2.1); negative prices are.
    return pa.Column(
        pl.Float64,
        [pa.Check.ge(0), pa.Check(_has_two_places, name="two_decimal_places")],
        nullable=True,
        description=description,
    )


def _text(description: str, *checks: pa.Check) -> pa.Column:
    return pa.Column(pl.String, list(checks), nullable=True, description=description)


def _found(field: str) -> pl.Expr:
    # Typed fields are judged on their text, so a value that fails to parse is not "missing".
    return pl.col(f"{field}_raw" if field in _TYPED_FIELDS else field).is_not_null()


def _required(*fields: str) -> list[pa.Check]:
    return [_rule(Reason.missing(field), ~pl.col(IS_RECORD) | _found(field)) for field in fields]


def _required_for(field: str, event_types: tuple[str, ...]) -> pa.Check:
    applies = pl.col(IS_RECORD) & pl.col("event_type").is_in(event_types)
    return _rule(Reason.missing(field), ~applies | _found(field))


def _parses(*fields: str) -> list[pa.Check]:
    return [
        _rule(
            Reason.invalid_type(field),
            pl.col(f"{field}_raw").is_null() | pl.col(field).is_not_null(),
        )
        for field in fields
    ]


def _identifiers(*fields: str) -> list[pa.Check]:
    """An id given as a JSON object or array is the wrong type; numbers are taken as text."""
    return [
        _rule(Reason.invalid_type(field), ~pl.col(f"{field}{STRUCTURED_SUFFIX}"))
        for field in fields
    ]


def _record_checks() -> list[pa.Check]:
    unreadable = pl.col("read_error").fill_null("").str.starts_with(Reason.UNREADABLE_FILE)
    return [
        _rule(Reason.UNREADABLE_FILE, ~unreadable),
        _rule(Reason.MALFORMED_RECORD, unreadable | pl.col(IS_RECORD)),
    ]


def _raw_text_columns(*fields: str) -> dict[str, pa.Column]:
    return {f"{field}_raw": _text(f"{field} as found in the record") for field in fields}


def day_end(day: date) -> datetime:
    """The end of a partition's UTC day (naive UTC): no record time may lie after it.

    `future_timestamp` is judged against this rather than the wall clock, so the same files
    always give the same result, whenever they are validated (SPEC §3).
    """
    return datetime.combine(day, datetime.min.time()) + timedelta(days=1)


def _not_after_day_end(column: str, day: date) -> pa.Check:
    return _rule(
        Reason.FUTURE_TIMESTAMP, pl.col(column).is_null() | (pl.col(column) <= day_end(day))
    )


def event_schema(day: date) -> pa.DataFrameSchema:
    """Rules for one day's event candidates (SPEC §2.1, §3)."""
    start = datetime.combine(day, datetime.min.time())
    end = day_end(day)
    timestamp = pl.col("event_timestamp")
    return pa.DataFrameSchema(
        name="EventRecordSchema",
        columns={
            "event_id": _text("Event id, unique across all days"),
            "event_timestamp": pa.Column(
                pl.Datetime("us"), nullable=True, description="When it happened, UTC"
            ),
            "event_type": _text("What happened", pa.Check.isin(v.EVENT_TYPES)),
            "user_id": _text("Who did it (anonymous visitors have ids too)"),
            "session_id": _text("Tracker session, when the tracker sends one"),
            "product_id": _text("Product, for product events"),
            "quantity": pa.Column(
                pl.Int32,
                pa.Check.ge(1),
                nullable=True,
                description="Units, for cart/purchase; units returned, for refunds",
            ),
            "unit_price_value": _price("Unit price, for cart/purchase/refund"),
            "order_id": _text("Order, for purchases and the refunds that return them"),
            "device": _text("Device class", pa.Check.isin(v.DEVICES)),
            "channel": _text("Marketing channel", pa.Check.isin(v.CHANNELS)),
            "country": _text("ISO 3166-1 alpha-2 country", pa.Check.str_matches(COUNTRY_PATTERN)),
            **_raw_text_columns("event_timestamp", "quantity", "unit_price", "properties"),
        },
        checks=[
            *_record_checks(),
            *_required("event_id", "event_timestamp", "event_type", "user_id"),
            *_identifiers("event_id", "user_id", "session_id", "product_id", "order_id"),
            _required_for("product_id", v.PRODUCT_EVENT_TYPES),
            _required_for("quantity", v.PRICED_EVENT_TYPES),
            _required_for("unit_price", v.PRICED_EVENT_TYPES),
            _required_for("order_id", v.ORDER_EVENT_TYPES),
            *_parses("event_timestamp", "quantity", "unit_price", "properties"),
            _rule(
                Reason.TIMESTAMP_OUTSIDE_PARTITION,
                timestamp.is_null() | ((timestamp >= start) & (timestamp < end)),
            ),
            _not_after_day_end("event_timestamp", day),
            _rule(Reason.DUPLICATE_EVENT_ID, ~pl.col(IS_DUPLICATE)),
            _rule(
                Reason.UNKNOWN_PRODUCT,
                pl.col("product_id").is_null() | pl.col(IS_KNOWN_PRODUCT),
            ),
        ],
    )


def product_schema(day: date) -> pa.DataFrameSchema:
    """Rules for one day's product records (SPEC §2.2)."""
    return pa.DataFrameSchema(
        name="ProductRecordSchema",
        columns={
            "product_id": _text("Product id"),
            "product_name": _text("Display name"),
            "category": _text("Top-level category"),
            "list_price_value": _price("Catalogue price"),
            **_raw_text_columns("list_price", "is_active", "updated_at"),
        },
        checks=[
            *_record_checks(),
            # Only the key and updated_at are required (dim_products keys on the one, picks
            # the latest record with the other): public exports often lack names, categories
            # or a price (REES46 has no names, UCI Online Retail no categories, and a product
            # seen only at price 0 has no list price), yet the product is in the catalogue.
            *_required("product_id", "updated_at"),
            *_identifiers("product_id", "sku"),
            *_parses("list_price", "is_active", "updated_at"),
            _not_after_day_end("updated_at", day),
        ],
    )


def user_schema(day: date) -> pa.DataFrameSchema:
    """Rules for one day's user records (SPEC §2.2)."""
    return pa.DataFrameSchema(
        name="UserRecordSchema",
        columns={
            "user_id": _text("User id"),
            "email": _text("Email address", pa.Check.str_matches(EMAIL_PATTERN)),
            "country": _text("ISO 3166-1 alpha-2 country", pa.Check.str_matches(COUNTRY_PATTERN)),
            "acquisition_channel": _text("Channel of first visit", pa.Check.isin(v.CHANNELS)),
            "loyalty_tier": _text("Loyalty tier", pa.Check.isin(v.LOYALTY_TIERS)),
            **_raw_text_columns("signup_at", "updated_at"),
        },
        checks=[
            *_record_checks(),
            # dim_users keys its versions on user_id and updated_at (valid_from).
            *_required("user_id", "updated_at"),
            *_identifiers("user_id"),
            *_parses("signup_at", "updated_at"),
            _not_after_day_end("signup_at", day),
            _not_after_day_end("updated_at", day),
        ],
    )


SCHEMA_BUILDERS = {"events": event_schema, "products": product_schema, "users": user_schema}
