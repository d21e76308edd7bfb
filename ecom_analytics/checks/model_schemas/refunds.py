"""The rules dbt yml cannot say, checked by Pandera on marts.fct_refunds."""

from __future__ import annotations

from ecom_analytics.checks.model_schemas.columns import (
    ModelRules,
    count,
    key,
    money,
    required,
)


class FctRefundsRules(ModelRules):
    """marts.fct_refunds: one row per refund event."""

    event_id = key()
    order_id = required()
    refund_date = required()
    user_id = required()
    product_id = required()
    units = count(ge=1)
    refunded_revenue = money()
    order_found = required()
