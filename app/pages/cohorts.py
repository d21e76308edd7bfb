"""Cohorts: weekly retention of the users first seen in each week."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Output, callback, html

from app import components, data, figures, metrics
from app.inputs import DATES, needs_data, resolve, safely

dash.register_page(
    __name__, path="/cohorts", name="Cohorts", title="Cohorts · ecom analytics", order=4
)


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Cohorts",
                "Users grouped by the week (Monday to Sunday, UTC) of their first visit; each "
                "cell is the share of the cohort active that many weeks later.",
                note="The date range picks the cohorts whose first week falls in it. Device "
                "and channel filters do not apply: cohorts count users, not sessions.",
            ),
            dbc.Row(
                dbc.Col(components.graph_card("Weekly retention", "cohorts-retention")),
                className="g-3",
            ),
        ]
    )


def update_cohorts(start, end):
    """The heatmap, and a height that gives every cohort a readable row."""

    def heatmap():
        matrix = metrics.retention_matrix(data.retention(resolve(start, end)))
        height = figures.retention_height(matrix)
        return figures.retention_heatmap(matrix), {"height": f"{height}px"}

    return safely(heatmap, lambda message: (figures.empty(message), dash.no_update))


callback(
    Output("cohorts-retention", "figure"),
    Output("cohorts-retention", "style"),
    *DATES,
)(update_cohorts)
