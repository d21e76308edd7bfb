"""Pure functions from query results (DataFrames) to Plotly figures, in the house style of
app/figure_style.py. The products page and revenue have theirs in figures_products.py and
figures_revenue.py."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import formatting
from app.figure_style import (
    AMBER,
    BLUE,
    HEATMAP_SCALE,
    TEAL,
    TEMPLATE,
    count_axis,
    day_axis,
    day_bars,
    day_line,
    empty,
    rate_bars,
)


def sales_trend(daily: pd.DataFrame) -> go.Figure:
    """Revenue bars and an orders line per day (from `data.daily_sales`)."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_trace(
        day_bars(daily, daily["revenue"], name="Revenue", color=BLUE, hover="Revenue %{y:$,.2f}")
    )
    figure.add_trace(
        day_line(
            daily, daily["orders"], name="Orders", color=AMBER, hover="%{y:,} orders", yaxis="y2"
        )
    )
    figure.update_layout(
        xaxis=day_axis(daily["day"]),
        yaxis={"title": "Revenue", "tickformat": "$~s", "rangemode": "tozero"},
        yaxis2={
            "title": "Orders",
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            # Its own round ticks, not ones lined up with the revenue axis.
            "tickmode": "auto",
            **count_axis(daily["orders"].max()),
        },
        hovermode="x unified",
        bargap=0.25,
    )
    return figure


def engagement_lines(daily: pd.DataFrame) -> go.Figure:
    """DAU, WAU and MAU per day (from `data.engagement_daily`)."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    for column, name in (
        ("daily_active_users", "DAU"),
        ("weekly_active_users", "WAU"),
        ("monthly_active_users", "MAU"),
    ):
        figure.add_scatter(
            x=daily["day"],
            y=daily[column],
            name=name,
            mode="lines+markers" if len(daily) <= 31 else "lines",
            line={"width": 2},
            marker={"size": 5},
        )
    largest = daily[["daily_active_users", "monthly_active_users"]].max().max()
    figure.update_layout(
        hovermode="x unified",
        xaxis=day_axis(daily["day"]),
        yaxis={"title": "Users", **count_axis(largest)},
    )
    return figure


def stickiness_line(daily: pd.DataFrame) -> go.Figure:
    """Stickiness (DAU / MAU) per day."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_trace(
        day_line(
            daily,
            daily["stickiness"],
            name="Stickiness",
            color=TEAL,
            hover="DAU/MAU %{y:.1%}",
            fill="tozeroy",
            fillcolor="rgba(13,148,136,0.08)",
        )
    )
    figure.update_layout(
        xaxis=day_axis(daily["day"]),
        yaxis={"title": "DAU / MAU", "tickformat": ".0%", "rangemode": "tozero"},
    )
    return figure


def funnel(steps: pd.DataFrame) -> go.Figure:
    """Sessions reaching each step, labelled with the conversion from the step before."""
    if steps.empty or not steps["sessions"].iloc[0]:
        return empty()
    text = [
        formatting.count(row.sessions)
        + ("" if pd.isna(row.step_conversion) else f" · {formatting.percent(row.step_conversion)}")
        for row in steps.itertuples()
    ]
    figure = go.Figure(
        go.Funnel(
            y=steps["step"],
            x=steps["sessions"],
            text=text,
            textinfo="text",
            textposition="outside",
            marker={"color": [BLUE, "#3b82f6", "#60a5fa", TEAL, "#059669"][: len(steps)]},
            connector={"fillcolor": "#eef2f7", "line": {"width": 0}},
            hovertemplate="%{y}: %{x:,} sessions<extra></extra>",
        ),
        layout={"template": TEMPLATE},
    )
    return figure


def conversion_bars(by_dimension: pd.DataFrame, dimension: str) -> go.Figure:
    """Conversion rate (purchase sessions / sessions) per device or channel."""
    return rate_bars(
        by_dimension,
        x=dimension,
        rate="conversion_rate",
        counts=["sessions", "purchase_sessions"],
        color=BLUE,
        hover="%{x}<br>Conversion %{y:.1%}<br>%{customdata[1]:,} of %{customdata[0]:,} sessions",
        title="Conversion rate",
    )


def retention_height(matrix: pd.DataFrame) -> int:
    """Pixels for the retention heatmap: a readable row per cohort."""
    return max(280, 30 * len(matrix) + 120)


def retention_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """Cohort (week of first activity) x weeks since, coloured by retention rate."""
    if matrix.empty:
        return empty()
    labels = [f"{pd.Timestamp(week):%-d %b %Y}" for week in matrix.index]
    text = [[formatting.percent(v, 0) if pd.notna(v) else "" for v in row] for row in matrix.values]
    figure = go.Figure(
        go.Heatmap(
            z=matrix.values,
            x=[f"W{week}" for week in matrix.columns],
            y=labels,
            text=text,
            texttemplate="%{text}",
            colorscale=HEATMAP_SCALE,
            zmin=0,
            zmax=1,
            xgap=2,
            ygap=2,
            colorbar={"tickformat": ".0%", "thickness": 12},
            hovertemplate="Cohort %{y}<br>%{x}: %{z:.1%} retained<extra></extra>",
        ),
        layout={"template": TEMPLATE},
    )
    figure.update_layout(
        yaxis={"autorange": "reversed", "title": "Cohort (week of first visit)", "showgrid": False},
        xaxis={"title": "Weeks since first visit", "side": "top", "showgrid": False},
    )
    return figure


def distribution(buckets: pd.DataFrame, y_title: str, color: str = BLUE) -> go.Figure:
    """Bars per bucket, in bucket order (from data_behaviour: durations, time to purchase)."""
    if buckets.empty or not buckets["count"].sum():
        return empty()
    share = buckets["count"] / buckets["count"].sum()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        x=buckets["label"],
        y=buckets["count"],
        customdata=share,
        marker_color=color,
        hovertemplate="%{x}<br>%{y:,} (%{customdata:.1%})<extra></extra>",
    )
    figure.update_layout(
        yaxis={"title": y_title, **count_axis(buckets["count"].max())}, bargap=0.15
    )
    return figure


def activity_heatmap(grid: pd.DataFrame, metric_label: str) -> go.Figure:
    """Weekday x UTC hour, coloured by `metric_label` (from `metrics.hour_weekday_matrix`)."""
    if grid.empty or not grid.values.sum():
        return empty()
    figure = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=[f"{hour:02d}:00" for hour in grid.columns],
            y=list(grid.index),
            colorscale=HEATMAP_SCALE,
            xgap=1,
            ygap=1,
            colorbar={"thickness": 12},
            hovertemplate="%{y} %{x} UTC<br>" + metric_label + " %{z:,}<extra></extra>",
        ),
        layout={"template": TEMPLATE},
    )
    figure.update_layout(
        yaxis={"autorange": "reversed", "showgrid": False},
        xaxis={"title": "Hour (UTC)", "showgrid": False},
    )
    return figure


def quarantine_by_reason(daily: pd.DataFrame) -> go.Figure:
    """Stacked bars of quarantined records per day, one colour per reason."""
    if daily.empty:
        return empty("Nothing quarantined in this period")
    figure = go.Figure(layout={"template": TEMPLATE})
    for reason, rows in daily.groupby("reason", sort=True):
        figure.add_bar(
            x=rows["day"],
            y=rows["rows_quarantined"],
            name=reason,
            hovertemplate="%{x|%-d %b}<br>" + reason + ": %{y:,}<extra></extra>",
        )
    largest = daily.groupby("day")["rows_quarantined"].sum().max()
    figure.update_layout(
        legend={"y": -0.12, "yanchor": "top"},
        barmode="stack",
        xaxis=day_axis(daily["day"]),
        yaxis={"title": "Records quarantined", **count_axis(largest)},
    )
    return figure
