"""Products: revenue by category, top products and view-to-purchase rate."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from app import (
    components,
    data_products,
    figures,
    figures_products,
    figures_revenue,
    formatting,
)
from app.data_revenue import refund_rate_by_category
from app.inputs import CATEGORY, DATES, needs_data, resolve, safely

dash.register_page(
    __name__, path="/products", name="Products", title="Products · ecom analytics", order=3
)

TOP_N = 10
TABLE_COLUMNS = {
    "product_name": "Product",
    "category": "Category",
    "product_views": "Views",
    "orders": "Orders",
    "units_sold": "Units",
    "revenue": "Revenue",
    "view_to_purchase_rate": "View → purchase",
}
TABLE_FORMATS = {
    "product_views": formatting.count,
    "orders": formatting.count,
    "units_sold": formatting.count,
    "revenue": formatting.money,
    "view_to_purchase_rate": formatting.percent,
}


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Products",
                "What sells, and how often a product view turns into an order "
                "(view-to-purchase rate = orders / product views).",
                note="Device and channel filters do not apply here: product marts are not "
                "split by device or channel. The category filter does.",
            ),
            components.side_by_side(
                components.graph_card("Revenue by category", "products-by-category"),
                components.graph_card(
                    "View-to-purchase rate by category", "products-view-to-purchase"
                ),
            ),
            dbc.Row(
                dbc.Col(
                    components.graph_card(
                        f"Top {TOP_N} products",
                        "products-top-chart",
                        controls=components.segmented(
                            "products-metric",
                            {
                                k: data_products.PRODUCT_METRICS[k]
                                for k in ("revenue", "units_sold", "orders")
                            }
                            | {"view_to_purchase_rate": "View → purchase"},
                            "revenue",
                        ),
                        footer=html.Div(id="products-top-table", className="mt-3"),
                        height=34 * TOP_N + 60,
                    )
                ),
                className="g-3 mt-1",
            ),
            dbc.Row(
                dbc.Col(
                    components.graph_card(
                        "Refund rate by category",
                        "products-refund-rate",
                        subtitle="Refunded revenue / revenue, each on its own days.",
                    )
                ),
                className="g-3 mt-1",
            ),
        ]
    )


def update_products(start, end, categories, metric):
    def top():
        f = resolve(start, end, categories=categories)
        return data_products.top_products(f, metric or "revenue", TOP_N)

    def top_chart():
        key = metric or "revenue"
        return figures_products.top_products(top(), key, data_products.PRODUCT_METRICS[key])

    return (
        safely(
            lambda: figures_products.category_revenue(
                data_products.revenue_by_category(resolve(start, end, categories=categories))
            ),
            figures.empty,
        ),
        safely(
            lambda: figures_products.view_to_purchase(
                data_products.view_to_purchase_by_category(
                    resolve(start, end, categories=categories)
                )
            ),
            figures.empty,
        ),
        safely(top_chart, figures.empty),
        safely(
            lambda: components.table(top(), TABLE_COLUMNS, TABLE_FORMATS, table_id="products-top"),
            components.error_message,
        ),
    )


callback(
    Output("products-by-category", "figure"),
    Output("products-view-to-purchase", "figure"),
    Output("products-top-chart", "figure"),
    Output("products-top-table", "children"),
    *DATES,
    *CATEGORY,
    Input("products-metric", "value"),
)(update_products)


def update_refund_rate(start, end, categories):
    """Refunded revenue / revenue per category for the current filters."""
    return safely(
        lambda: figures_revenue.refund_rate(
            refund_rate_by_category(resolve(start, end, categories=categories))
        ),
        figures.empty,
    )


callback(Output("products-refund-rate", "figure"), *DATES, *CATEGORY)(update_refund_rate)
