"""Field aliases and nesting of SPEC §2.1, and the typed values they produce."""

import json
from datetime import datetime
from decimal import Decimal

import polars as pl

from ecom_analytics.validation.pipeline import validate
from ecom_analytics_tests.validation.raw_rows import DAY, raw_frame


def validate_one(record, source="events", catalogue=("p1",)):
    raw = raw_frame(record, source_file=f"{source}/date=2024-03-05/x.jsonl")
    return validate(raw, source, DAY, known_product_ids=pl.Series(list(catalogue)))


def test_flat_export_aliases_load_unchanged():
    result = validate_one(
        {
            "event_id": "e1",
            "timestamp": "2024-03-05 08:00:00",
            "event_type": "add_to_cart",
            "user_id": "u1",
            "product_id": "p1",
            "quantity": "3",
            "price": 4.5,
            "traffic_source": "email",
        }
    )
    assert result.rows_quarantined == 0
    row = result.valid.row(0, named=True)
    # Naive timestamps mean UTC.
    assert row["event_timestamp"] == datetime(2024, 3, 5, 8, 0)
    assert row["unit_price"] == Decimal("4.50")
    assert row["quantity"] == 3
    assert row["channel"] == "email"


def test_fields_nested_in_properties_are_used_when_absent_at_top_level():
    result = validate_one(
        {
            "event_id": "e1",
            "event_type": "page_view",
            "user_id": "u1",
            "properties": {"timestamp": "2024-03-05T12:00:00+01:00", "device": "mobile", "x": 1},
        }
    )
    assert result.rows_quarantined == 0
    row = result.valid.row(0, named=True)
    assert row["event_timestamp"] == datetime(2024, 3, 5, 11, 0)
    assert row["device"] == "mobile"
    assert json.loads(row["properties"]) == {
        "timestamp": "2024-03-05T12:00:00+01:00",
        "device": "mobile",
        "x": 1,
    }


def test_top_level_field_wins_over_nested_one():
    result = validate_one(
        {
            "event_id": "e1",
            "event_timestamp": "2024-03-05T10:00:00Z",
            "event_type": "page_view",
            "user_id": "u1",
            "channel": "social",
            "properties": {"channel": "email"},
        }
    )
    assert result.valid["channel"].to_list() == ["social"]


def test_large_integer_ids_stay_strings():
    result = validate_one(
        {
            "event_id": "e1",
            "event_timestamp": "2024-03-05T10:00:00Z",
            "event_type": "page_view",
            "user_id": 512475445000000000000,
        }
    )
    assert result.valid["user_id"].to_list() == ["512475445000000000000"]


def test_product_record_types():
    result = validate_one(
        {
            "product_id": "p1",
            "sku": "SKU-1",
            "product_name": "Mug",
            "category": "home",
            "list_price": "12.50",
            "is_active": "false",
            "updated_at": "2024-03-05T06:00:00Z",
        },
        source="products",
    )
    row = result.valid.row(0, named=True)
    assert (row["list_price"], row["is_active"], row["updated_at"]) == (
        Decimal("12.50"),
        False,
        datetime(2024, 3, 5, 6, 0),
    )


def test_user_record_rules():
    result = validate_one(
        {
            "user_id": "u1",
            "email": "not-an-email",
            "loyalty_tier": "diamond",
            "updated_at": "2024-03-05T06:00:00Z",
        },
        source="users",
    )
    assert result.quarantine["reasons"].to_list() == [
        ["invalid_value:email", "invalid_value:loyalty_tier"]
    ]
