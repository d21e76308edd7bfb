"""Generated refunds: a share of orders partly refunded days later, some of orders placed
before the data starts, at the price paid."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from ecom_analytics.synthetic.generator import generate
from ecom_analytics.synthetic.refunds import MAX_DELAY_DAYS, ORDER_REFUND_SHARE
from ecom_analytics_tests.ingestion.test_generator import normalize, read_records

START = date(2024, 3, 4)
DAYS = 21


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    root = tmp_path_factory.mktemp("refunds")
    generate(root, START, DAYS, 2_000, seed=5)
    return [(day, normalize(r)) for day, r in read_records(root, "events")]


def test_refunds_return_part_of_an_earlier_order_at_the_price_paid(events):
    lines = {}
    order_day = {}
    for day, e in events:
        if e["event_type"] == "purchase":
            lines[(e["order_id"], e["product_id"])] = (e["user_id"], e["quantity"], e["unit_price"])
            order_day[e["order_id"]] = day
    refunds = [(day, e) for day, e in events if e["event_type"] == "refund"]
    in_range = [(day, e) for day, e in refunds if e["order_id"] in order_day]
    assert in_range
    for day, e in in_range:
        user, quantity, price = lines[(e["order_id"], e["product_id"])]
        assert (e["user_id"], e["unit_price"]) == (user, price)
        assert 1 <= e["quantity"] <= quantity
        assert 1 <= (day - order_day[e["order_id"]]).days <= MAX_DELAY_DAYS
        assert "session_id" not in e


def test_some_refunds_name_orders_from_before_the_first_day(events):
    purchased = {e["order_id"] for _, e in events if e["event_type"] == "purchase"}
    earlier = [
        (day, e)
        for day, e in events
        if e["event_type"] == "refund" and e["order_id"] not in purchased
    ]
    assert earlier
    for day, e in earlier:
        # o-<YYYYMMDD>-<n>: the order's day lies before START, at most MAX_DELAY_DAYS back.
        ordered = datetime.strptime(e["order_id"][2:10], "%Y%m%d").date()
        assert START - timedelta(MAX_DELAY_DAYS) <= ordered < START <= day


def test_the_share_of_refunded_orders_is_near_the_configured_share(events):
    # Orders of the first week have had at least 14 days to be refunded inside the range;
    # with a median delay of 5 days nearly all their refunds fall inside it.
    first_week = {
        e["order_id"]
        for day, e in events
        if e["event_type"] == "purchase" and day < START + timedelta(7)
    }
    refunded = {e["order_id"] for _, e in events if e["event_type"] == "refund"} & first_week
    share = len(refunded) / len(first_week)
    assert 0.6 * ORDER_REFUND_SHARE < share < 1.2 * ORDER_REFUND_SHARE, share
    refunded_revenue = sum(
        (
            Decimal(str(e["unit_price"])) * e["quantity"]
            for _, e in events
            if e["event_type"] == "refund"
        ),
        Decimal(0),
    )
    assert refunded_revenue > 0
