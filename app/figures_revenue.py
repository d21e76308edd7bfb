"""Figures of revenue gross, refunded and net: pure DataFrame -> figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import formatting
from app.figure_style import AMBER, BLUE, RED, TEMPLATE, day_axis, empty, rate_bars


def net_revenue_trend(daily: pd.DataFrame) -> go.Figure:
    """Gross revenue up, refunds down, net revenue as a line (from `net_revenue_daily`)."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        x=daily["day"],
        y=daily["gross_revenue"],
        name="Gross",
        marker_color=BLUE,
        hovertemplate="%{x|%a %-d %b}<br>Gross %{y:$,.2f}<extra></extra>",
    )
    figure.add_bar(
        x=daily["day"],
        y=-daily["refunded_revenue"],
        name="Refunded",
        marker_color=RED,
        customdata=daily["refunded_revenue"],
        hovertemplate="%{x|%a %-d %b}<br>Refunded %{customdata:$,.2f}<extra></extra>",
    )
    figure.add_scatter(
        x=daily["day"],
        y=daily["net_revenue"],
        name="Net",
        mode="lines+markers",
        line={"color": AMBER, "width": 2},
        hovertemplate="%{x|%a %-d %b}<br>Net %{y:$,.2f}<extra></extra>",
    )
    figure.update_layout(
        xaxis=day_axis(daily["day"]),
        yaxis={"title": "Revenue", "tickformat": "$~s"},
        barmode="relative",
        hovermode="x unified",
        bargap=0.25,
    )
    return figure


def refund_rate(by_category: pd.DataFrame) -> go.Figure:
    """Refunded revenue / revenue per category (from `refund_rate_by_category`)."""
    return rate_bars(
        by_category,
        x="category",
        rate="refund_rate",
        counts=["refunded_revenue", "revenue"],
        color=RED,
        hover="%{x}<br>%{y:.1%} of revenue refunded<br>"
        "%{customdata[0]:$,.2f} of %{customdata[1]:$,.2f}",
        title="Refunded / revenue",
    )


def revenue_totals(daily: pd.DataFrame) -> str:
    """'Gross $X · refunded $Y · net $Z' over the days of `daily`."""
    gross, refunded = daily["gross_revenue"].sum(), daily["refunded_revenue"].sum()
    return (
        f"Gross {formatting.money(gross)} · refunded {formatting.money(refunded)} · "
        f"net {formatting.money(gross - refunded)}"
    )
