"""The house style of every dashboard figure, and the shapes several figures share: colours,
the Plotly template, day and count axes, bars and lines per day, the empty figure that says
why it is empty, and bars of a rate per category."""

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


def day_axis(days: pd.Series) -> dict:
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


def day_hover(text: str) -> str:
    """The hover of a trace per day: the day, then `text` (with Plotly's `%{y}` and the like)."""
    return "%{x|%a %-d %b}<br>" + text + "<extra></extra>"


def day_bars(
    daily: pd.DataFrame, y: pd.Series, *, name: str, color: str, hover: str, **extra
) -> go.Bar:
    """A bar per day of `daily` (its `day` column), hovered as `day_hover(hover)`."""
    return go.Bar(
        x=daily["day"], y=y, name=name, marker_color=color, hovertemplate=day_hover(hover), **extra
    )


def day_line(
    daily: pd.DataFrame, y: pd.Series, *, name: str, color: str, hover: str, **extra
) -> go.Scatter:
    """A line with a marker per day of `daily` (its `day` column), hovered as `day_hover(hover)`."""
    return go.Scatter(
        x=daily["day"],
        y=y,
        name=name,
        mode="lines+markers",
        line={"color": color, "width": 2},
        hovertemplate=day_hover(hover),
        **extra,
    )


def count_axis(largest: float) -> dict:
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


def rate_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    rate: str,
    counts: list[str],
    color: str,
    hover: str,
    title: str,
) -> go.Figure:
    """A bar of `rate` per `x`, labelled as a percentage above it; `counts` (the rate's
    numerator and denominator) reach `hover` as customdata[0] and [1]."""
    if frame.empty:
        return empty()
    figure = go.Figure(layout={"template": TEMPLATE})
    figure.add_bar(
        x=frame[x],
        y=frame[rate],
        customdata=frame[counts],
        marker_color=color,
        text=[formatting.percent(v) for v in frame[rate]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate=hover + "<extra></extra>",
    )
    figure.update_layout(yaxis={"title": title, "tickformat": ".0%"})
    return figure
