"""Real commerce is not an error: refunds, free items and products without a price (SPEC §2)."""

from decimal import Decimal

import pytest

from ecom_analytics.validation.pipeline import validate
from ecom_analytics_tests.validation.raw_rows import DAY, raw_frame
from ecom_analytics_tests.validation.test_reasons import CATALOGUE, PURCHASE, VIEW, reasons_of

REFUND = {**PURCHASE, "event_id": "r1", "event_type": "refund", "quantity": 1}


def test_refund_and_free_item_pass():
    free_view = {**VIEW, "unit_price": "0"}
    free_purchase = {**PURCHASE, "event_id": "e3", "unit_price": "0.00"}
    assert reasons_of(free_view, free_purchase, REFUND) == {}


@pytest.mark.parametrize("field", ["product_id", "quantity", "unit_price", "order_id"])
def test_missing_field_required_by_refund(field):
    record = {k: v for k, v in REFUND.items() if k != field}
    assert reasons_of(record) == {1: [f"missing_required_field:{field}"]}


@pytest.mark.parametrize(("field", "value"), [("quantity", -2), ("unit_price", -1.5)])
def test_refund_of_negative_units_or_price_is_invalid(field, value):
    assert reasons_of({**REFUND, field: value}) == {1: [f"invalid_value:{field}"]}


def test_refund_of_an_unknown_product_is_quarantined():
    assert reasons_of({**REFUND, "product_id": "p404"}) == {1: ["unknown_product"]}


def _products(*records):
    return validate(raw_frame(*records), "products", DAY, known_product_ids=CATALOGUE)


def test_product_without_a_price_stays_in_the_catalogue():
    result = _products(
        {"product_id": "p7", "updated_at": "2024-03-05T06:00:00Z"},
        {"product_id": "p8", "list_price": "0", "updated_at": "2024-03-05T06:00:00Z"},
        {"product_id": "p9", "list_price": "-3.00", "updated_at": "2024-03-05T06:00:00Z"},
    )
    assert result.valid.select("product_id", "list_price").rows() == [
        ("p7", None),
        ("p8", Decimal("0.00")),
    ]
    assert result.quarantine.select("source_line", "reasons").rows() == [
        (3, ["invalid_value:list_price"])
    ]
