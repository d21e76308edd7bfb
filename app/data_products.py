"""Products: revenue by category, the top products and view-to-purchase rates, as
parameterized queries over the snapshot (refund rates are in app/data_revenue.py).
"""

from __future__ import annotations

import pandas as pd

from app.data import query, where_clause
from app.filters import Filters, check_allowed

PRODUCT_METRICS = {
    "revenue": "Revenue",
    "units_sold": "Units sold",
    "orders": "Orders",
    "product_views": "Product views",
    "view_to_purchase_rate": "View-to-purchase rate",
}
TOP_PRODUCTS_MAX = 50


def revenue_by_category(f: Filters) -> pd.DataFrame:
    """Revenue and units sold per category over `f`, the largest first."""
    where, params = where_clause(f, "order_date", category=True)
    return query(
        f"""
        select coalesce(category, 'unknown') as category, sum(revenue)::double as revenue,
            sum(units_sold) as units_sold
        from marts.fct_revenue {where}
        group by all
        order by revenue desc, category
        """,
        tuple(params),
    )


def top_products(f: Filters, metric: str = "revenue", limit: int = 10) -> pd.DataFrame:
    """The `limit` products ranked by `metric`, with views, orders and view-to-purchase rate."""
    metric = check_allowed(metric, PRODUCT_METRICS, "product metric")
    if not 1 <= int(limit) <= TOP_PRODUCTS_MAX:
        raise ValueError(f"limit must be between 1 and {TOP_PRODUCTS_MAX}")
    where, params = where_clause(f, "activity_date", category=True)
    return query(
        f"""
        select product_id, any_value(product_name) as product_name,
            any_value(category) as category, any_value(brand) as brand,
            sum(product_views) as product_views, sum(add_to_carts) as add_to_carts,
            sum(orders) as orders, sum(units_sold) as units_sold,
            sum(revenue)::double as revenue,
            sum(orders) / nullif(sum(product_views), 0) as view_to_purchase_rate
        from marts.fct_product_daily {where}
        group by product_id
        order by {metric} desc nulls last, product_id
        limit ?
        """,
        (*params, int(limit)),
    )


def view_to_purchase_by_category(f: Filters) -> pd.DataFrame:
    """Product views, orders and their ratio per category over `f`, the best first."""
    where, params = where_clause(f, "activity_date", category=True)
    return query(
        f"""
        select coalesce(category, 'unknown') as category, sum(product_views) as product_views,
            sum(orders) as orders,
            sum(orders) / nullif(sum(product_views), 0) as view_to_purchase_rate
        from marts.fct_product_daily {where}
        group by all
        order by view_to_purchase_rate desc nulls last, category
        """,
        tuple(params),
    )
