"""`future_timestamp` is judged against the end of the partition's day, never the wall clock."""

from ecom_analytics.validation.pipeline import validate
from ecom_analytics_tests.validation.raw_rows import DAY, raw_frame


def judge_one(source: str, record: dict) -> list[str] | None:
    raw = raw_frame(record, source_file=f"{source}/date=2024-03-05/x.jsonl")
    result = validate(raw, source, DAY)
    assert result.rows_read == 1
    return result.quarantine["reasons"].to_list()[0] if result.rows_quarantined else None


PRODUCT = {"product_id": "p1", "product_name": "Mug", "category": "home", "list_price": "9.50"}
USER = {"user_id": "u1", "signup_at": "2024-03-01T10:00:00Z"}


def test_product_updated_after_its_day_is_future_even_though_that_day_is_long_past():
    # 00:00:01 on the 6th is one second after the 5th's day ends: future, in 2024 as in 2099.
    assert judge_one("products", {**PRODUCT, "updated_at": "2024-03-06T00:00:01Z"}) == [
        "future_timestamp"
    ]
    # 23:59:59 on the 5th lies inside the day: valid.
    assert judge_one("products", {**PRODUCT, "updated_at": "2024-03-05T23:59:59Z"}) is None


def test_user_updated_or_signed_up_after_its_day_is_future():
    assert judge_one("users", {**USER, "updated_at": "2024-03-07T08:00:00Z"}) == [
        "future_timestamp"
    ]
    signed_up_late = {
        **USER,
        "updated_at": "2024-03-05T08:00:00Z",
        "signup_at": "2024-03-06T12:00:00Z",
    }
    assert judge_one("users", signed_up_late) == ["future_timestamp"]
    assert judge_one("users", {**USER, "updated_at": "2024-03-05T08:00:00Z"}) is None


def test_event_after_its_day_is_future_and_outside_the_partition():
    event = {
        "event_id": "e1",
        "event_timestamp": "2024-03-06T00:00:01Z",
        "event_type": "page_view",
        "user_id": "u1",
    }
    assert judge_one("events", event) == ["future_timestamp", "timestamp_outside_partition"]
