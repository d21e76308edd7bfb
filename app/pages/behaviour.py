"""Behaviour: how long sessions last, how soon buyers buy, and when people are active."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from app import components, data_behaviour, figures, metrics
from app.inputs import DATES, SEGMENTS, needs_data, resolve, safely

dash.register_page(
    __name__, path="/behaviour", name="Behaviour", title="Behaviour · ecom analytics", order=5
)


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Behaviour",
                "Session length, time from the start of a session to its purchase, and activity "
                "by weekday and hour (UTC).",
            ),
            components.side_by_side(
                components.graph_card(
                    "Session duration",
                    "behaviour-session-duration",
                    subtitle="Sessions per duration",
                ),
                components.graph_card(
                    "Time to purchase",
                    "behaviour-time-to-purchase",
                    subtitle="Orders per time from session start",
                ),
            ),
            dbc.Row(
                dbc.Col(
                    components.graph_card(
                        "Activity by weekday and hour",
                        "behaviour-activity",
                        controls=components.segmented(
                            "behaviour-activity-metric", data_behaviour.ACTIVITY_METRICS, "events"
                        ),
                    )
                ),
                className="g-3 mt-1",
            ),
        ]
    )


def update_behaviour(start, end, devices, channels, metric):
    def filters():
        return resolve(start, end, devices, channels)

    def activity():
        key = metric or "events"
        grid = metrics.hour_weekday_matrix(data_behaviour.activity_by_hour(filters(), key))
        return figures.activity_heatmap(grid, data_behaviour.ACTIVITY_METRICS[key])

    return (
        safely(
            lambda: figures.distribution(data_behaviour.session_durations(filters()), "Sessions"),
            figures.empty,
        ),
        safely(
            lambda: figures.distribution(
                data_behaviour.time_to_purchase(filters()), "Orders", color=figures.TEAL
            ),
            figures.empty,
        ),
        safely(activity, figures.empty),
    )


callback(
    Output("behaviour-session-duration", "figure"),
    Output("behaviour-time-to-purchase", "figure"),
    Output("behaviour-activity", "figure"),
    *DATES,
    *SEGMENTS,
    Input("behaviour-activity-metric", "value"),
)(update_behaviour)
