"""Engagement: daily, weekly and monthly active users, and stickiness (DAU / MAU)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Output, callback, html

from app import anomaly_flags, components, data, figures
from app.inputs import DATES, needs_data, resolve, safely

dash.register_page(
    __name__, path="/engagement", name="Engagement", title="Engagement · ecom analytics", order=1
)


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Engagement",
                "Distinct users active on the day (DAU), in the 7 days (WAU) and the 30 days "
                "(MAU) up to it, and how many monthly users come back daily.",
                note="Device and channel filters do not apply here: daily engagement counts "
                "users across all devices and channels.",
            ),
            dbc.Row(
                [
                    dbc.Col(components.graph_card("Active users", "engagement-active-users"), lg=8),
                    dbc.Col(
                        components.graph_card(
                            "Stickiness", "engagement-stickiness", subtitle="DAU / MAU"
                        ),
                        lg=4,
                    ),
                ],
                className="g-3",
            ),
        ]
    )


def update_engagement(start, end):
    def daily():
        return data.engagement_daily(resolve(start, end))

    def active_users():
        figure = figures.engagement_lines(daily())
        anomalies = anomaly_flags.fired(resolve(start, end))
        return anomaly_flags.flag(figure, anomalies, ("daily_active_users", "sessions"))

    return (
        safely(active_users, figures.empty),
        safely(lambda: figures.stickiness_line(daily()), figures.empty),
    )


callback(
    Output("engagement-active-users", "figure"),
    Output("engagement-stickiness", "figure"),
    *DATES,
)(update_engagement)
