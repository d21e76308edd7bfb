"""The rules dbt yml cannot say, checked by Pandera on marts.fct_refunds."""

from __future__ import annotations

from ecom_analytics.checks.model_schemas import columns as col
from ecom_analytics.checks.model_schemas.columns import ModelRules


class FctRefundsRules(ModelRules):
    """marts.fct_refunds: one row per refund event."""

    event_id = col.key()
    order_id = col.required()
    refund_date = col.required()
    user_id = col.required()
    product_id = col.required()
    units = col.count(ge=1)
    refunded_revenue = col.money()
    order_found = col.required()
