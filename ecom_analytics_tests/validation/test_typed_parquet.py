"""Parquet files judged from their typed columns give exactly what their JSON text gives."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecom_analytics.ingestion import landing
from ecom_analytics.ingestion.readers import read_day_typed
from ecom_analytics.validation.fields import SOURCE_FIELDS
from ecom_analytics.validation.pipeline import judge, prepare
from ecom_analytics.validation.typed import extract_typed

DAY = date(2024, 3, 5)
TS = datetime(2024, 3, 5, 9, 30, 0, 123456)

# Two rows per file: a clean purchase and a row with every kind of trouble a type allows.
EVENTS = {
    "event_id": ["t1", ' {"a": 1} '],
    "event_type": ["purchase", "purchase"],
    "user_id": ["u1", "  "],
    "product_id": ["p1", None],
    "order_id": ["o1", "o2"],
    "device": ["mobile", "phone"],
    "properties": [{"app_version": '1.2/x"y'}, None],
}


def _write(workspace, frames: dict[str, pl.DataFrame], source: str = "events") -> None:
    folder = landing.day_dir(source, DAY, workspace.landing)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.write_parquet(folder / name)


def _both_paths(source: str = "events") -> tuple[pl.DataFrame, pl.DataFrame]:
    """Candidates from the typed columns and from the JSON text. A `<field>_raw` column holds
    the text as found, which the rules read only for presence (schemas._found): a typed
    value's is an empty text, so only its presence is compared."""
    read = read_day_typed(source, DAY)
    typed, from_json = prepare(read.raw, source, read.parquet), prepare(read.raw, source)
    presence = [pl.col(name).is_not_null() for name in typed.columns if name.endswith("_raw")]
    return typed.with_columns(presence), from_json.with_columns(presence)


def test_typed_columns_give_the_candidates_their_json_text_gives(workspace):
    _write(
        workspace,
        {
            # Naive microsecond times, integer quantity beyond 32 bits, decimal with 3 places.
            "a.parquet": pl.DataFrame(
                {
                    **EVENTS,
                    "event_timestamp": [TS, datetime(2024, 3, 6, 0, 0)],
                    "quantity": pl.Series([2, 3_000_000_000], dtype=pl.Int64),
                    "unit_price": pl.Series(
                        [Decimal("9.99"), Decimal("1.005")], dtype=pl.Decimal(18, 3)
                    ),
                }
            ),
            # Aliases, a time zone other than UTC in milliseconds, float prices, a null column.
            "b.parquet": pl.DataFrame(
                {
                    **EVENTS,
                    "timestamp": pl.Series([TS, TS], dtype=pl.Datetime("ms", "Europe/Paris")),
                    "quantity": pl.Series([0, None], dtype=pl.UInt8),
                    "price": [0.0, -2.5],
                    "channel": pl.Series([None, None], dtype=pl.Null),
                }
            ),
            # Times and numbers as text, as exports often give them.
            "c.parquet": pl.DataFrame(
                {
                    **EVENTS,
                    "event_timestamp": ["2024-03-05T10:00:00Z", "yesterday"],
                    "quantity": ["1", "1.5"],
                    "unit_price": ["3.10", "abc"],
                }
            ),
        },
    )

    typed, from_json = _both_paths()

    assert_frame_equal(typed, from_json)
    assert typed.height == 6
    read = read_day_typed("events", DAY)
    indexed = read.raw.with_row_index("row_index")
    for source_file, typed_rows in read.parquet.items():  # none fell back to the JSON path
        rows = indexed.filter(pl.col("source_file") == source_file)
        assert extract_typed(rows, typed_rows, SOURCE_FIELDS["events"]) is not None


@pytest.mark.parametrize(
    "columns",
    [
        {"user_id": [{"a": 1}, {"a": 2}]},  # a struct where an id belongs
        {"quantity": [1.0, 2.0]},  # a float quantity: JSON text would write it as 1.0
        {"USER_ID": ["u1", "u2"]},  # a field name in another case
        {"properties": [{"user_id": "u9"}, {"user_id": None}]},  # a field nested in extras
        {"unit_price": [float("nan"), 1.0]},  # no NaN in JSON
    ],
)
def test_a_file_whose_types_json_would_change_takes_the_json_path(workspace, columns):
    frame = pl.DataFrame({"event_id": ["x1", "x2"], **columns})
    _write(workspace, {"a.parquet": frame})
    read = read_day_typed("events", DAY)
    indexed = read.raw.with_row_index("row_index")

    typed_rows = read.parquet["events/date=2024-03-05/a.parquet"]

    assert extract_typed(indexed, typed_rows, SOURCE_FIELDS["events"]) is None
    typed, from_json = _both_paths()
    assert_frame_equal(typed, from_json)


def test_typed_parquet_rows_are_judged_by_the_same_rules(workspace):
    _write(
        workspace,
        {
            "a.parquet": pl.DataFrame(
                {
                    "product_id": ["p1", "p2"],
                    "list_price": [Decimal("5.00"), Decimal("-1.00")],
                    "is_active": [True, None],
                    "updated_at": [TS, datetime(2024, 3, 6, 0, 0, 1)],
                }
            )
        },
        source="products",
    )
    read = read_day_typed("products", DAY)

    result = judge(prepare(read.raw, "products", read.parquet), "products", DAY)

    assert result.valid["product_id"].to_list() == ["p1"]
    assert result.valid["list_price"].to_list() == [Decimal("5.00")]
    # p2: a negative price and an update after the end of its day (worked out by hand).
    assert result.quarantine["reasons"].to_list() == [
        ["future_timestamp", "invalid_value:list_price"]
    ]


def test_a_file_of_text_columns_only_is_judged_from_its_columns(workspace):
    _write(workspace, {"a.parquet": pl.DataFrame({"event_id": ["x1"], "event_type": ["login"]})})
    read = read_day_typed("events", DAY)
    indexed = read.raw.with_row_index("row_index")
    typed_rows = read.parquet["events/date=2024-03-05/a.parquet"]

    assert extract_typed(indexed, typed_rows, SOURCE_FIELDS["events"]) is not None
    typed, from_json = _both_paths()
    assert_frame_equal(typed, from_json)
