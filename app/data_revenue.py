"""Revenue gross, refunded and net (SPEC §5–6): parameterized queries over the snapshot.

A refund counts on its own day. It belongs to the device and channel of the order it
returns, so those filters keep the refunds of matching orders; a refund whose order is not
in the warehouse has no device or channel and counts only while those filters are unset.
"""

from __future__ import annotations

import pandas as pd

from app.data import every_day, query, where_clause
from app.filters import Filters

# fct_refunds with the device and channel of the order each refund names, when found.
_REFUNDS_WITH_ORDERS = """
    (
        select refunds.refund_date, refunds.refunded_revenue, orders.device, orders.channel
        from marts.fct_refunds as refunds
        left join marts.fct_orders as orders on refunds.order_id = orders.order_id
    )
"""


def net_revenue_daily(f: Filters) -> pd.DataFrame:
    """Gross, refunded and net revenue for every day of `f` (zero on days without any)."""
    days, days_params = every_day(f)
    orders_where, orders_params = where_clause(f, "order_date", device=True, channel=True)
    refunds_where, refunds_params = where_clause(f, "refund_date", device=True, channel=True)
    return query(
        f"""
        with days as ({days}),
        gross as (
            select order_date as day, sum(revenue)::double as gross_revenue
            from marts.fct_orders {orders_where}
            group by order_date
        ),
        refunded as (
            select refund_date as day, sum(refunded_revenue)::double as refunded_revenue
            from {_REFUNDS_WITH_ORDERS} {refunds_where}
            group by refund_date
        )
        select
            days.day,
            coalesce(gross.gross_revenue, 0) as gross_revenue,
            coalesce(refunded.refunded_revenue, 0) as refunded_revenue,
            coalesce(gross.gross_revenue, 0) - coalesce(refunded.refunded_revenue, 0)
                as net_revenue
        from days
        left join gross on gross.day = days.day
        left join refunded on refunded.day = days.day
        order by days.day
        """,
        (*days_params, *orders_params, *refunds_params),
    )


def refund_rate_by_category(f: Filters) -> pd.DataFrame:
    """Per category: revenue, refunded revenue (on the refunds' days) and their ratio."""
    where, params = where_clause(f, "order_date", category=True)
    return query(
        f"""
        select coalesce(category, 'unknown') as category,
            sum(revenue)::double as revenue,
            sum(refunded_revenue)::double as refunded_revenue,
            sum(units_refunded) as units_refunded,
            sum(refunded_revenue)::double / nullif(sum(revenue)::double, 0) as refund_rate
        from marts.fct_revenue {where}
        group by all
        order by refund_rate desc nulls last, category
        """,
        tuple(params),
    )
