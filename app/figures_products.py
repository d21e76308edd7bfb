"""Figures of the products page: pure DataFrame -> figure (from app/data_products.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import formatting
from app.figure_style import BLUE, TEAL, TEMPLATE, VIOLET, empty, rate_bars


def category_revenue(by_category: pd.DataFrame) -> go.Figure:
    """Horizontal revenue bars per category, the largest on top."""
    if by_category.empty:
        return empty()
    ordered = by_category.sort_values("revenue")
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        y=ordered["category"],
        x=ordered["revenue"],
        orientation="h",
        marker_color=BLUE,
        text=[formatting.money(v) for v in ordered["revenue"]],
        textposition="auto",
        hovertemplate="%{y}<br>Revenue %{x:$,.2f}<extra></extra>",
    )
    figure.update_layout(xaxis={"title": "Revenue", "tickformat": "$~s"})
    return figure


def top_products(products: pd.DataFrame, metric: str, metric_label: str) -> go.Figure:
    """Horizontal bars of `metric` for the top products, the best on top."""
    if products.empty:
        return empty()
    ordered = products.iloc[::-1]
    is_rate = metric == "view_to_purchase_rate"
    is_money = metric == "revenue"
    fmt = formatting.percent if is_rate else formatting.money if is_money else formatting.count
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        y=ordered["product_name"],
        x=ordered[metric],
        orientation="h",
        marker_color=TEAL,
        text=[fmt(v) for v in ordered[metric]],
        textposition="auto",
        customdata=ordered[["category", "brand"]],
        hovertemplate="%{y}<br>%{customdata[0]} · %{customdata[1]}<extra></extra>",
    )
    tickformat = ".0%" if is_rate else "$~s" if is_money else "~s"
    figure.update_layout(xaxis={"title": metric_label, "tickformat": tickformat})
    return figure


def view_to_purchase(by_category: pd.DataFrame) -> go.Figure:
    """Orders / product views per category (from `data_products.view_to_purchase_by_category`)."""
    return rate_bars(
        by_category,
        x="category",
        rate="view_to_purchase_rate",
        counts=["product_views", "orders"],
        color=VIOLET,
        hover="%{x}<br>%{y:.1%} of views<br>%{customdata[1]:,} orders / %{customdata[0]:,} views",
        title="Orders / product views",
    )
