"""Metric anomalies (SPEC §4) on the dashboard: the days a metric left its usual band, read
from the snapshot's `meta.anomalies`, flagged on the charts that show those days."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import data
from app.filters import Filters
from ecom_analytics.snapshot_schema import ANOMALIES, column_list

LABELS = {
    "daily_active_users": "DAU",
    "sessions": "Sessions",
    "orders": "Orders",
    "revenue": "Revenue",
    "net_revenue": "Net revenue",
    "conversion_rate": "Conversion",
}
FLAG_COLOR = "rgba(220, 38, 38, 0.10)"
FLAG_TEXT_COLOR = "#b91c1c"
_FIRED_SQL = (
    f"select {column_list(ANOMALIES, ('metric', 'day', 'value', 'lower_bound', 'upper_bound'))}"
    f" from {ANOMALIES.qualified} where fired and day between ? and ? order by day, metric"
)


def fired(f: Filters) -> pd.DataFrame:
    """Metric, day, value and band of every anomaly that fired between f.start and f.end.

    Anomalies are judged on whole-site daily totals: device, channel and category filters do
    not apply to them.
    """
    return data.query(_FIRED_SQL, (f.start, f.end))


def label(metric: str) -> str:
    return LABELS.get(metric, metric.replace("_", " ").capitalize())


def describe(row) -> str:
    """`DAU 60 (usual 114–126)`."""
    band = f"{row.lower_bound:,.4g}–{row.upper_bound:,.4g}"
    return f"{label(row.metric)} {row.value:,.4g} (usual {band})"


def flag(figure: go.Figure, anomalies: pd.DataFrame, metrics: tuple[str, ...]) -> go.Figure:
    """Shade each day on which one of `metrics` fired, with a flag above it that names
    what fired, its value and usual band on hover."""
    shown = anomalies[anomalies["metric"].isin(metrics)] if not anomalies.empty else anomalies
    for day, rows in shown.groupby("day", sort=True):
        middle = pd.Timestamp(day)
        figure.add_vrect(
            x0=middle - pd.Timedelta(hours=12),
            x1=middle + pd.Timedelta(hours=12),
            fillcolor=FLAG_COLOR,
            line_width=0,
            layer="below",
            name="anomaly",
        )
        figure.add_annotation(
            x=middle,
            y=1.0,
            xref="x",
            yref="paper",
            yanchor="top",
            showarrow=False,
            # A flag only: adjacent days' names would overlap; hovering names what fired.
            text="⚑",
            hovertext="<br>".join(describe(row) for row in rows.itertuples()),
            font={"color": FLAG_TEXT_COLOR, "size": 11},
            name="anomaly",
        )
    return figure
