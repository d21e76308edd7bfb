"""Pure functions from query results (DataFrames) to Plotly figures, in one house style."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import formatting

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
BLUE, TEAL, AMBER, RED, VIOLET, SLATE = (
    "#2563eb",
    "#0d9488",
    "#d97706",
    "#dc2626",
    "#7c3aed",
    "#64748b",
)
COLORWAY = [BLUE, TEAL, AMBER, VIOLET, RED, SLATE, "#0891b2", "#db2777"]
HEATMAP_SCALE = [[0.0, "#eff6ff"], [0.5, "#60a5fa"], [1.0, "#1e3a8a"]]

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 12, "color": "#1f2937"},
        colorway=COLORWAY,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        hoverlabel={"font": {"family": FONT}},
        modebar={"bgcolor": "rgba(255,255,255,0.85)", "color": "#9ca3af", "activecolor": BLUE},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        xaxis={"gridcolor": "#eef0f3", "zeroline": False, "automargin": True},
        yaxis={"gridcolor": "#eef0f3", "zeroline": False, "automargin": True},
    )
)
NO_DATA = "No data for these filters"
DAY_MS = 86_400_000


def _day_axis(days: pd.Series) -> dict:
    """A date axis labelled by day, one tick a day on short ranges (never at noon), with
    half a day of room at each end so the first and last labels are not clipped."""
    first, last = pd.Timestamp(days.min()), pd.Timestamp(days.max())
    axis = {
        "tickformat": "%-d %b",
        "hoverformat": "%a %-d %b %Y",
        "range": [first - pd.Timedelta(hours=12), last + pd.Timedelta(hours=12)],
    }
    if (last - first).days < 14:
        axis["dtick"] = DAY_MS
    return axis


def _count_axis(largest: float) -> dict:
    """A count axis: whole numbers when counts are small, `12k` style when they are large."""
    if largest <= 8:
        return {"tickmode": "linear", "dtick": 1, "rangemode": "tozero", "tickformat": ",d"}
    return {"rangemode": "tozero", "tickformat": "~s" if largest >= 10_000 else ",.0f"}


def empty(message: str = NO_DATA) -> go.Figure:
    """A blank figure that says why it is blank."""
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 14, "color": SLATE},
    )
    return figure


def sales_trend(daily: pd.DataFrame) -> go.Figure:
    """Revenue bars and an orders line per day (from `data.daily_sales`)."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        x=daily["day"],
        y=daily["revenue"],
        name="Revenue",
        marker_color=BLUE,
        hovertemplate="%{x|%a %-d %b}<br>Revenue %{y:$,.2f}<extra></extra>",
    )
    figure.add_scatter(
        x=daily["day"],
        y=daily["orders"],
        name="Orders",
        yaxis="y2",
        mode="lines+markers",
        line={"color": AMBER, "width": 2},
        hovertemplate="%{x|%a %-d %b}<br>%{y:,} orders<extra></extra>",
    )
    figure.update_layout(
        xaxis=_day_axis(daily["day"]),
        yaxis={"title": "Revenue", "tickformat": "$~s", "rangemode": "tozero"},
        yaxis2={
            "title": "Orders",
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            # Its own round ticks, not ones lined up with the revenue axis.
            "tickmode": "auto",
            **_count_axis(daily["orders"].max()),
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
        xaxis=_day_axis(daily["day"]),
        yaxis={"title": "Users", **_count_axis(largest)},
    )
    return figure


def stickiness_line(daily: pd.DataFrame) -> go.Figure:
    """Stickiness (DAU / MAU) per day."""
    if daily.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_scatter(
        x=daily["day"],
        y=daily["stickiness"],
        name="Stickiness",
        mode="lines+markers",
        line={"color": TEAL, "width": 2},
        fill="tozeroy",
        fillcolor="rgba(13,148,136,0.08)",
        hovertemplate="%{x|%a %-d %b}<br>DAU/MAU %{y:.1%}<extra></extra>",
    )
    figure.update_layout(
        xaxis=_day_axis(daily["day"]),
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
    if by_dimension.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        x=by_dimension[dimension],
        y=by_dimension["conversion_rate"],
        customdata=by_dimension[["sessions", "purchase_sessions"]],
        marker_color=BLUE,
        text=[formatting.percent(v) for v in by_dimension["conversion_rate"]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=(
            "%{x}<br>Conversion %{y:.1%}<br>"
            "%{customdata[1]:,} of %{customdata[0]:,} sessions<extra></extra>"
        ),
    )
    figure.update_layout(yaxis={"title": "Conversion rate", "tickformat": ".0%"})
    return figure


def category_revenue(by_category: pd.DataFrame) -> go.Figure:
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
    if by_category.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        x=by_category["category"],
        y=by_category["view_to_purchase_rate"],
        customdata=by_category[["product_views", "orders"]],
        marker_color=VIOLET,
        text=[formatting.percent(v) for v in by_category["view_to_purchase_rate"]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=(
            "%{x}<br>%{y:.1%} of views<br>"
            "%{customdata[1]:,} orders / %{customdata[0]:,} views<extra></extra>"
        ),
    )
    figure.update_layout(yaxis={"title": "Orders / product views", "tickformat": ".0%"})
    return figure


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
    """Bars per bucket, in bucket order (from `data.session_durations` and friends)."""
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
        yaxis={"title": y_title, **_count_axis(buckets["count"].max())}, bargap=0.15
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
        xaxis=_day_axis(daily["day"]),
        yaxis={"title": "Records quarantined", **_count_axis(largest)},
    )
    return figure
