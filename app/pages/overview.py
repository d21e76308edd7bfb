"""Overview: the headline KPIs against the previous period, and revenue and orders per day."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Output, callback, dcc, html

from app import (
    anomaly_flags,
    components,
    data,
    data_revenue,
    figures,
    figures_revenue,
    formatting,
    metrics,
)
from app.inputs import DATES, SEGMENTS, needs_data, resolve, safely

dash.register_page(__name__, path="/", name="Overview", title="Overview · ecom analytics", order=0)


# Anomalies flagged on the daily trend: the metrics of the KPI cards.
OVERVIEW_ANOMALIES = ("revenue", "net_revenue", "orders", "conversion_rate", "daily_active_users")


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Overview",
                "Revenue, orders and conversion for the selected period, "
                "each against the period of the same length just before it.",
                note="Daily active users come from daily engagement, which is not split by "
                "device or channel: those filters do not apply to that card.",
            ),
            html.Div(id="overview-period", className="period-line"),
            dcc.Loading(
                dbc.Row(id="overview-kpis", className="row-cols-1 row-cols-sm-2 row-cols-xl-5 g-3"),
                delay_show=300,
            ),
            dbc.Row(
                dbc.Col(components.graph_card("Revenue and orders per day", "overview-trend")),
                className="mt-1 g-3",
            ),
            dbc.Row(
                dbc.Col(
                    components.graph_card(
                        "Revenue gross, refunded and net per day",
                        "overview-net-revenue",
                        subtitle="Refunds count on the day they are made; net = gross − refunded.",
                        footer=html.Div(id="overview-net-totals", className="mt-2"),
                    )
                ),
                className="mt-1 g-3",
            ),
        ]
    )


def update_overview(start, end, devices, channels):
    """KPI cards, the period line and the daily trend for the current filters."""

    def kpis():
        f = resolve(start, end, devices, channels)
        values = metrics.kpis(data.kpi_totals(f), data.kpi_totals(f.previous()))
        return components.kpi_row(values)

    def period():
        f = resolve(start, end, devices, channels)
        before = f.previous()
        return [
            html.Strong(formatting.day_range(f.start, f.end)),
            html.Span(
                f" ({f.days} days) compared with {formatting.day_range(before.start, before.end)}",
                className="text-muted",
            ),
        ]

    def trend():
        f = resolve(start, end, devices, channels)
        figure = figures.sales_trend(data.daily_sales(f))
        return anomaly_flags.flag(figure, anomaly_flags.fired(f), OVERVIEW_ANOMALIES)

    return (
        safely(kpis, lambda message: [dbc.Col(components.error_message(message))]),
        safely(period, lambda message: ""),
        safely(trend, figures.empty),
    )


callback(
    Output("overview-kpis", "children"),
    Output("overview-period", "children"),
    Output("overview-trend", "figure"),
    *DATES,
    *SEGMENTS,
)(update_overview)


def update_net_revenue(start, end, devices, channels):
    """Gross, refunded and net revenue per day, and their totals, for the current filters."""

    def daily():
        return data_revenue.net_revenue_daily(resolve(start, end, devices, channels))

    return (
        safely(lambda: figures_revenue.net_revenue_trend(daily()), figures.empty),
        safely(lambda: figures_revenue.revenue_totals(daily()), lambda message: message),
    )


callback(
    Output("overview-net-revenue", "figure"),
    Output("overview-net-totals", "children"),
    *DATES,
    *SEGMENTS,
)(update_net_revenue)
