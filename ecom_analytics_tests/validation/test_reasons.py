"""One test per quarantine reason of SPEC §3, on records written by hand."""

import json

import polars as pl
import pytest

from ecom_analytics.validation.pipeline import validate
from ecom_analytics_tests.validation.raw_rows import DAY, raw_frame

CATALOGUE = pl.Series(["p1", "p2"])

VIEW = {
    "event_id": "e1",
    "event_timestamp": "2024-03-05T09:30:00Z",
    "event_type": "product_view",
    "user_id": "u1",
    "product_id": "p1",
}
PURCHASE = {
    "event_id": "e2",
    "event_timestamp": "2024-03-05T09:35:00Z",
    "event_type": "purchase",
    "user_id": "u1",
    "product_id": "p1",
    "quantity": 2,
    "unit_price": "19.99",
    "order_id": "o1",
}


def reasons_of(*records, earlier_ids=()):
    result = validate(
        raw_frame(*records),
        "events",
        DAY,
        known_product_ids=CATALOGUE,
        earlier_event_ids=pl.Series(list(earlier_ids), dtype=pl.String),
    )
    assert result.rows_read == len(records)
    return {
        line: reasons for line, reasons in result.quarantine.select("source_line", "reasons").rows()
    }


def test_valid_view_and_purchase_pass():
    assert reasons_of(VIEW, PURCHASE) == {}


def test_malformed_record_is_quarantined_with_only_that_reason():
    assert reasons_of(VIEW, '{"event_id": "e9", "event_ty', "[1, 2]") == {
        2: ["malformed_record"],
        3: ["malformed_record"],
    }


@pytest.mark.parametrize("field", ["event_id", "event_timestamp", "event_type", "user_id"])
def test_missing_always_required_field(field):
    record = {k: v for k, v in VIEW.items() if k != field}
    expected = [f"missing_required_field:{field}"]
    assert reasons_of(record) == {1: expected}


def test_blank_string_counts_as_missing():
    assert reasons_of({**VIEW, "user_id": "  "}) == {1: ["missing_required_field:user_id"]}


@pytest.mark.parametrize("field", ["product_id", "quantity", "unit_price", "order_id"])
def test_missing_field_required_by_purchase(field):
    record = {k: v for k, v in PURCHASE.items() if k != field}
    assert reasons_of(record) == {1: [f"missing_required_field:{field}"]}


def test_product_view_does_not_need_quantity_or_order():
    assert reasons_of(VIEW) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", "two"),
        ("quantity", 1.5),
        ("unit_price", "cheap"),
        ("event_timestamp", "yesterday"),
        ("properties", "not an object"),
    ],
)
def test_invalid_type(field, value):
    assert reasons_of({**PURCHASE, field: value}) == {1: [f"invalid_type:{field}"]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quantity", 0),
        ("unit_price", -5),
        ("unit_price", 19.999),
        ("device", "smart_fridge"),
        ("channel", "carrier_pigeon"),
        ("country", "Germany"),
    ],
)
def test_invalid_value(field, value):
    assert reasons_of({**PURCHASE, field: value}) == {1: [f"invalid_value:{field}"]}


def test_unknown_event_type():
    assert reasons_of({**VIEW, "event_type": "teleport"}) == {1: ["unknown_event_type"]}


def test_timestamp_outside_partition():
    record = {**VIEW, "event_timestamp": "2024-03-04T23:59:59Z"}
    assert reasons_of(record) == {1: ["timestamp_outside_partition"]}


def test_offset_timestamp_is_judged_in_utc():
    # 00:30 at +02:00 is 22:30 UTC the day before: outside the 2024-03-05 folder.
    record = {**VIEW, "event_timestamp": "2024-03-05T00:30:00+02:00"}
    assert reasons_of(record) == {1: ["timestamp_outside_partition"]}


def test_future_timestamp_also_falls_outside_the_partition():
    record = {**VIEW, "event_timestamp": "2099-01-01T00:00:00Z"}
    assert reasons_of(record) == {1: ["future_timestamp", "timestamp_outside_partition"]}


def test_duplicate_event_id_first_occurrence_wins():
    assert reasons_of(VIEW, {**VIEW, "user_id": "u2"}) == {2: ["duplicate_event_id"]}


def test_duplicate_of_an_earlier_day_is_quarantined():
    assert reasons_of(VIEW, PURCHASE, earlier_ids=["e2"]) == {2: ["duplicate_event_id"]}


def test_unknown_product():
    assert reasons_of({**VIEW, "product_id": "p404"}) == {1: ["unknown_product"]}


def test_unreadable_file_row():
    raw = raw_frame(VIEW).vstack(
        pl.DataFrame(
            {
                "partition_date": [DAY],
                "source_file": ["events/date=2024-03-05/bad.jsonl.gz"],
                "source_line": [0],
                "raw_record": pl.Series([None], dtype=pl.String),
                "read_error": ["unreadable_file: BadGzipFile: Not a gzipped file"],
            }
        )
    )
    result = validate(raw, "events", DAY, known_product_ids=CATALOGUE)
    assert result.rows_valid == 1
    assert result.quarantine.select("source_file", "reasons", "detail").rows() == [
        (
            "events/date=2024-03-05/bad.jsonl.gz",
            ["unreadable_file"],
            "unreadable_file: BadGzipFile: Not a gzipped file",
        )
    ]


def test_every_reason_that_applies_is_kept():
    record = {
        **PURCHASE,
        "event_timestamp": "2024-03-01T10:00:00Z",
        "quantity": 0,
        "product_id": "p404",
        "device": "toaster",
    }
    del record["order_id"]
    assert reasons_of(record) == {
        1: [
            "invalid_value:device",
            "invalid_value:quantity",
            "missing_required_field:order_id",
            "timestamp_outside_partition",
            "unknown_product",
        ]
    }


def test_quarantine_row_keeps_original_text_file_line_and_key():
    text = json.dumps({**VIEW, "event_type": "teleport"})
    result = validate(
        raw_frame(VIEW | {"event_id": "e0"}, text),
        "events",
        DAY,
        known_product_ids=CATALOGUE,
    )
    row = result.quarantine.row(0, named=True)
    assert row["raw_record"] == text
    assert row["source_file"] == "events/date=2024-03-05/e.jsonl"
    assert row["source_line"] == 2
    assert row["record_key"] == "e1"
    assert row["partition_date"] == DAY
    assert result.reason_counts == {"unknown_event_type": 1}
