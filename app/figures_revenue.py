"""Figures of revenue gross, refunded and net: pure DataFrame -> figure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import formatting
from app.figure_style import (
    AMBER,
    BLUE,
    RED,
    TEMPLATE,
    day_axis,
    day_bars,
    day_line,
    empty,
    rate_bars,
)


def net_revenue_trend(daily: pd.DataFrame) -> go.Figure:
    """Gross revenue up, refunds down, net revenue as a line (from `net_revenue_daily`)."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_trace(
        day_bars(daily, daily["gross_revenue"], name="Gross", color=BLUE, hover="Gross %{y:$,.2f}")
    )
    figure.add_trace(
        day_bars(
            daily,
            -daily["refunded_revenue"],
            name="Refunded",
            color=RED,
            hover="Refunded %{customdata:$,.2f}",
            customdata=daily["refunded_revenue"],
        )
    )
    figure.add_trace(
        day_line(daily, daily["net_revenue"], name="Net", color=AMBER, hover="Net %{y:$,.2f}")
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
